package io.staticlet.app.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Go duration strings as KubeletConfiguration uses them: {@code 20s}, {@code 1m30s}, {@code
 * 500ms}, {@code 1h}.
 */
public final class GoDuration {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private GoDuration() {}

  public static Duration parse(String text) {
    String s = text.trim();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(s);
    int end = 0;
    double nanos = 0;
    while (m.find()) {
      if (m.start() != end) {
        throw new IllegalArgumentException(
            "invalid duration \"" + text + "\" (expected e.g. 20s, 1m30s, 500ms)");
      }
      double value = Double.parseDouble(m.group(1));
      nanos +=
          value
              * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
              };
      end = m.end();
    }
    if (end == 0 || end != s.length()) {
      throw new IllegalArgumentException(
          "invalid duration \"" + text + "\" (expected e.g. 20s, 1m30s, 500ms)");
    }
    return Duration.ofNanos((long) nanos);
  }

  /**
   * As Go's {@code Duration.String()}: {@code 1m0s}, {@code 20s}, {@code 4h0m0s}, {@code 100ms},
   * {@code 0s}.
   */
  public static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    if (nanos < 0) {
      out.append('-');
      nanos = -nanos;
    }
    if (nanos < 1_000_000_000L) {
      if (nanos % 1_000_000L == 0) {
        return out.append(nanos / 1_000_000L).append("ms").toString();
      }
      if (nanos % 1_000L == 0) {
        return out.append(nanos / 1_000L).append("µs").toString();
      }
      return out.append(nanos).append("ns").toString();
    }
    long hours = nanos / 3_600_000_000_000L;
    long minutes = nanos / 60_000_000_000L % 60;
    long secNanos = nanos % 60_000_000_000L;
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      out.append(minutes).append('m');
    }
    String seconds = BigDecimal.valueOf(secNanos, 9).stripTrailingZeros().toPlainString();
    return out.append(seconds).append('s').toString();
  }
}
