package io.staticlet.testkit;

import java.util.Set;
import java.util.TreeSet;

/**
 * Just enough of the Prometheus text format to read figures from the agent's {@code /metrics}, as
 * an operator's Prometheus would.
 */
public final class PrometheusText {
  private PrometheusText() {}

  /** The sum of every sample of the metric (all label sets); NaN if there is none. */
  public static double sum(String text, String metric) {
    double sum = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
        try {
          sum += Double.parseDouble(valueOf(line));
          found = true;
        } catch (NumberFormatException e) {
          // not a sample line
        }
      }
    }
    return found ? sum : Double.NaN;
  }

  /**
   * Names of the counters ({@code *_total}) whose name contains {@code part}, e.g. "api_request".
   */
  public static Set<String> countersContaining(String text, String part) {
    Set<String> names = new TreeSet<>();
    for (String line : text.split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        String name = line.split("[{ ]", 2)[0];
        if (name.contains(part) && name.endsWith("_total")) {
          names.add(name);
        }
      }
    }
    return names;
  }

  /**
   * The sum of the samples of {@code metric} whose labels include every one of {@code labels}
   * ({@code name=value} pairs, e.g. {@code "reason", "Unhealthy"}); 0 when there is none (a counter
   * that never counted is not exported).
   */
  public static double sumWhere(String text, String metric, String... labels) {
    double sum = 0;
    for (String line : text.split("\n")) {
      if (line.startsWith(metric + "{") && hasLabels(line, labels)) {
        try {
          sum += Double.parseDouble(valueOf(line));
        } catch (NumberFormatException e) {
          // not a sample line
        }
      }
    }
    return sum;
  }

  private static boolean hasLabels(String line, String... labels) {
    String set = line.substring(line.indexOf('{') + 1, line.lastIndexOf('}'));
    for (int i = 0; i + 1 < labels.length; i += 2) {
      if (!("," + set + ",").contains("," + labels[i] + "=\"" + labels[i + 1] + "\",")) {
        return false;
      }
    }
    return true;
  }

  /** The value of a sample line: the token after the labels (a timestamp may follow it). */
  private static String valueOf(String line) {
    int close = line.lastIndexOf('}');
    String rest =
        (close >= 0 ? line.substring(close + 1) : line.substring(line.indexOf(' '))).trim();
    return rest.split("\\s+")[0];
  }
}
