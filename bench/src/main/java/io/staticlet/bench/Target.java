package io.staticlet.bench;

import java.util.Locale;

/** What a figure must meet: one order statistic of its samples at or below a limit. */
public record Target(String text, Summary.Statistic statistic, double limit) {

  public boolean metBy(Summary value) {
    return value.get(statistic) <= limit;
  }

  /** A fixed limit: {@code "median ≤ 250 ms"}. */
  static Target absolute(Summary.Statistic statistic, double limit, String unit) {
    return new Target(name(statistic) + " ≤ " + Format.value(limit, unit), statistic, limit);
  }

  /** A limit for a figure measured once: {@code "≤ 3 s"}. */
  static Target single(double limit, String unit) {
    return new Target("≤ " + Format.value(limit, unit), Summary.Statistic.MAX, limit);
  }

  /** A limit derived from another figure: {@code "median ≤ 1.10 × baseline (= 517 ms)"}. */
  static Target relative(Summary.Statistic statistic, String rule, double limit, String unit) {
    return new Target(
        name(statistic) + " ≤ " + rule + " (= " + Format.value(limit, unit) + ")",
        statistic,
        limit);
  }

  private static String name(Summary.Statistic statistic) {
    return statistic.name().toLowerCase(Locale.ROOT);
  }
}
