package io.staticlet.bench;

import java.util.Set;
import java.util.TreeSet;

/** Just enough of the Prometheus text format to read counters from the agent's {@code /metrics}. */
final class PrometheusText {
  private PrometheusText() {}

  /** The sum of every sample of the metric (all label sets); NaN if there is none. */
  static double sum(String text, String metric) {
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

  /** Names of the counters ({@code *_total}) whose name contains {@code part}, e.g. "api_request". */
  static Set<String> countersContaining(String text, String part) {
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

  /** The value of a sample line: the token after the labels (a timestamp may follow it). */
  private static String valueOf(String line) {
    int close = line.lastIndexOf('}');
    String rest = (close >= 0 ? line.substring(close + 1) : line.substring(line.indexOf(' '))).trim();
    return rest.split("\\s+")[0];
  }
}
