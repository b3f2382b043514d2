package io.staticlet.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The one table the bench prints: a row per figure, then the notes of the rows that have one. */
final class ReportTable {
  private static final String[] HEADER = {
    "ID", "Figure", "Median", "p95", "Max", "n", "Baseline (median)", "Ratio", "Target", "Result"
  };

  private ReportTable() {}

  static void print(Report report, PrintStream out) {
    List<String[]> lines = new ArrayList<>();
    lines.add(HEADER);
    for (Row r : report.rows()) {
      Summary v = r.value();
      lines.add(
          new String[] {
            r.id(),
            r.figure(),
            v == null ? "n/a" : Format.value(v.median(), r.unit()),
            v == null || v.n() < 2 ? "" : Format.value(v.p95(), r.unit()),
            v == null || v.n() < 2 ? "" : Format.value(v.max(), r.unit()),
            v == null ? "" : Integer.toString(v.n()),
            r.baseline() == null ? "" : Format.value(r.baseline().median(), r.unit()),
            Format.ratio(r.ratio()),
            r.target() == null ? "" : r.target(),
            r.verdict() == Verdict.NA ? "n/a" : r.verdict().name()
          });
    }
    int[] width = new int[HEADER.length];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        width[i] = Math.max(width[i], line[i].length());
      }
    }
    out.println();
    for (int l = 0; l < lines.size(); l++) {
      StringBuilder sb = new StringBuilder("| ");
      for (int i = 0; i < HEADER.length; i++) {
        String cell = lines.get(l)[i];
        boolean right = i >= 2 && i <= 7;
        String pad = " ".repeat(width[i] - cell.length());
        sb.append(right ? pad + cell : cell + pad).append(" | ");
      }
      out.println(sb.toString().stripTrailing());
      if (l == 0) {
        StringBuilder rule = new StringBuilder("|");
        for (int i = 0; i < HEADER.length; i++) {
          boolean right = i >= 2 && i <= 7;
          rule.append(right ? "-".repeat(width[i] + 1) + ":|" : "-".repeat(width[i] + 2) + "|");
        }
        out.println(rule);
      }
    }
    out.println();
    for (Row r : report.rows()) {
      if (r.note() != null) {
        out.println("- " + r.id() + " " + r.figure() + ": " + r.note());
      }
    }
    for (String note : report.notes()) {
      out.println("- " + note);
    }
    Report.Machine m = report.machine();
    Report.Setup s = report.setup();
    out.println();
    out.printf(
        "machine: %d cores (%s), %d MB, kernel %s, Docker %s; load average %s at start, %s at end%n",
        m.cores(),
        m.cpuModel(),
        m.memTotalMb(),
        m.kernel(),
        m.dockerVersion(),
        m.loadAverageAtStart(),
        m.loadAverageAtEnd());
    out.printf(
        "agent: %s (%s), java %s, JVM options: %s%s, --sync-workers %d, mode %s%n",
        s.agentJar(),
        s.gitCommit(),
        s.agentJavaVersion(),
        String.join(" ", s.agentJvmOptions()),
        s.agentEnvironment().isEmpty() ? "" : ", environment: " + s.agentEnvironment(),
        s.syncWorkers(),
        s.mode()
            + (s.clusterUnavailable() == null
                ? ""
                : " (cluster mode unavailable: " + s.clusterUnavailable() + ")"));
    out.printf("outcome: %s in %.0f s%n", report.outcome(), report.durationSeconds());
  }
}
