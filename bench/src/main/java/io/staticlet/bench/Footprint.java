package io.staticlet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the agent's process holds in memory, sampled during a steady-state window: resident set
 * (VmRSS of {@code /proc/<pid>/status}), proportional set ({@code Pss} of {@code
 * /proc/<pid>/smaps_rollup}: shared pages such as libjvm's text counted by their share), and the
 * JVM's own view from the agent's {@code /metrics} (Micrometer's {@code jvm_memory_used_bytes} /
 * {@code jvm_memory_committed_bytes}, summed over the pools of {@code area="heap"} and {@code
 * area="nonheap"}). The RSS row has the kubelet's published figure as its baseline.
 */
final class Footprint {
  private final List<Double> rssMb = new ArrayList<>();
  private final List<Double> pssMb = new ArrayList<>();
  private final List<Double> heapUsedMb = new ArrayList<>();
  private final List<Double> nonHeapUsedMb = new ArrayList<>();
  private final List<Double> heapCommittedMb = new ArrayList<>();
  private final List<Double> nonHeapCommittedMb = new ArrayList<>();

  /** One reading of /proc (cheap; every second). */
  void sampleProc(long pid) {
    rssMb.add(ProcStats.rssKb(pid) / 1024.0);
    double pss = pssKb(pid);
    if (!Double.isNaN(pss)) {
      pssMb.add(pss / 1024.0);
    }
  }

  /** One reading of the agent's /metrics (a few times per window). */
  void sampleMetrics(String metrics) {
    add(heapUsedMb, area(metrics, "jvm_memory_used_bytes", "heap"));
    add(nonHeapUsedMb, area(metrics, "jvm_memory_used_bytes", "nonheap"));
    add(heapCommittedMb, area(metrics, "jvm_memory_committed_bytes", "heap"));
    add(nonHeapCommittedMb, area(metrics, "jvm_memory_committed_bytes", "nonheap"));
  }

  double maxRssMb() {
    return rssMb.stream().mapToDouble(d -> d).max().orElse(Double.NaN);
  }

  List<Row> rows(String id, String what) {
    List<Row> rows = new ArrayList<>();
    rows.add(
        Row.measured(
            id,
            what + ": agent RSS",
            "MB",
            Summary.of(rssMb),
            Summary.single(KubeletFigures.RSS_MB),
            Target.absolute(Summary.Statistic.MAX, KubeletFigures.RSS_TARGET_MB, "MB"),
            "VmRSS every second ("
                + rssMb.size()
                + " samples); baseline: "
                + KubeletFigures.SOURCE));
    rows.add(
        pssMb.isEmpty()
            ? Row.unavailable(id, what + ": agent PSS", "MB", null, "no /proc/<pid>/smaps_rollup")
            : Row.measured(
                id,
                what + ": agent PSS",
                "MB",
                Summary.of(pssMb),
                Summary.single(KubeletFigures.RSS_MB),
                null,
                "Pss of smaps_rollup every second; ratio against the kubelet's RSS"));
    rows.add(
        heapUsedMb.isEmpty()
            ? Row.unavailable(
                id, what + ": JVM heap used", "MB", null, "no jvm_memory_used_bytes in /metrics")
            : Row.measured(
                id,
                what + ": JVM heap used",
                "MB",
                Summary.of(heapUsedMb),
                null,
                null,
                committed(heapCommittedMb) + " (/metrics, " + heapUsedMb.size() + " samples)"));
    rows.add(
        nonHeapUsedMb.isEmpty()
            ? Row.unavailable(
                id,
                what + ": JVM non-heap used",
                "MB",
                null,
                "no jvm_memory_used_bytes in /metrics")
            : Row.measured(
                id,
                what + ": JVM non-heap used",
                "MB",
                Summary.of(nonHeapUsedMb),
                null,
                null,
                "metaspace, compressed class space, code cache; " + committed(nonHeapCommittedMb)));
    return rows;
  }

  static List<Row> unavailable(String id, String what, String reason) {
    String target =
        Target.absolute(Summary.Statistic.MAX, KubeletFigures.RSS_TARGET_MB, "MB").text();
    return List.of(
        Row.unavailable(id, what + ": agent RSS", "MB", target, reason),
        Row.unavailable(id, what + ": agent PSS", "MB", null, reason),
        Row.unavailable(id, what + ": JVM heap used", "MB", null, reason),
        Row.unavailable(id, what + ": JVM non-heap used", "MB", null, reason));
  }

  /** The agent's CPU row with the kubelet's 8 % as its baseline. */
  static Row cpuRow(String id, String what, double percent, Target target, String note) {
    return Row.measured(
        id,
        what + ": agent CPU",
        "% of a core",
        Summary.single(percent),
        Summary.single(KubeletFigures.CPU_PERCENT),
        target,
        note + "; baseline: " + KubeletFigures.SOURCE);
  }

  private static String committed(List<Double> values) {
    return values.isEmpty()
        ? "committed n/a"
        : String.format(
            Locale.ROOT,
            "committed max %.1f MB",
            values.stream().mapToDouble(d -> d).max().orElse(0));
  }

  private static void add(List<Double> to, double bytes) {
    if (!Double.isNaN(bytes)) {
      to.add(bytes / (1024 * 1024));
    }
  }

  /** The sum over the pools of one area: lines {@code metric{area="heap",id="..."} value}. */
  static double area(String metrics, String metric, String area) {
    double sum = 0;
    boolean found = false;
    for (String line : metrics.split("\n")) {
      if (line.startsWith(metric + "{") && line.contains("area=\"" + area + "\"")) {
        try {
          String rest = line.substring(line.lastIndexOf('}') + 1).trim();
          sum += Double.parseDouble(rest.split("\\s+")[0]);
          found = true;
        } catch (NumberFormatException e) {
          // not a sample line
        }
      }
    }
    return found ? sum : Double.NaN;
  }

  /**
   * {@code Pss:} of {@code /proc/<pid>/smaps_rollup} in kB; NaN when the kernel has no such file.
   */
  static double pssKb(long pid) {
    try {
      for (String line :
          Files.readString(
                  Path.of("/proc", Long.toString(pid), "smaps_rollup"), StandardCharsets.UTF_8)
              .split("\n")) {
        if (line.startsWith("Pss:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
