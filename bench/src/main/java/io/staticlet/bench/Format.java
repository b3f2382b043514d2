package io.staticlet.bench;

import java.util.Locale;

/** How figures are written in the table: a few significant digits and the unit. */
final class Format {
  private Format() {}

  static String value(double v, String unit) {
    return number(v) + (unit.isEmpty() ? "" : " " + unit);
  }

  static String number(double v) {
    double a = Math.abs(v);
    if (v == Math.rint(v) && a < 1e6) {
      return Long.toString((long) v);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String ratio(Double r) {
    return r == null ? "" : String.format(Locale.ROOT, "%.2f", r);
  }
}
