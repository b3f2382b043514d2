package io.staticlet.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Order statistics of one measured figure. The median of an even count is the mean of the two
 * middle values; p95 is the nearest-rank percentile (the smallest sample with at least 95 % of the
 * samples at or below it), so with fewer than 20 samples it is the maximum.
 */
public record Summary(int n, double min, double median, double p95, double max) {

  public static Summary of(List<Double> samples) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    List<Double> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    return new Summary(n, sorted.get(0), median, percentile(sorted, 95), sorted.get(n - 1));
  }

  /** A single observation (a figure measured once, such as a rate over a window). */
  public static Summary single(double value) {
    return new Summary(1, value, value, value, value);
  }

  /** Nearest-rank percentile of already sorted samples. */
  static double percentile(List<Double> sorted, int percent) {
    if (percent <= 0 || percent > 100) {
      throw new IllegalArgumentException("percent must be in (0, 100]: " + percent);
    }
    int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
    return sorted.get(Math.max(rank, 1) - 1);
  }

  public double get(Statistic statistic) {
    return switch (statistic) {
      case MEDIAN -> median;
      case P95 -> p95;
      case MAX -> max;
    };
  }

  /** Which order statistic a target is checked against. */
  public enum Statistic {
    MEDIAN,
    P95,
    MAX
  }
}
