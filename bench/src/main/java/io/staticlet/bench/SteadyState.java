package io.staticlet.bench;

import io.staticlet.testkit.PrometheusText;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * B5: what the agent takes from the node with its pods running and nothing happening: CPU (utime +
 * stime from {@code /proc/<pid>/stat} over the window, in clock ticks of {@code getconf CLK_TCK}),
 * memory ({@link Footprint}: RSS and PSS every second, heap and non-heap from {@code /metrics},
 * next to the kubelet's published figures) and API requests per minute (counted in the API server's
 * audit log for {@code system:node:<node>}).
 */
final class SteadyState {
  private static final Duration SETTLE = Duration.ofSeconds(10);

  /** Longest wait for the start-up burst of pod events (5 per second) to be written. */
  private static final Duration EVENTS_SETTLE_MAX = Duration.ofSeconds(90);

  private static final Target CPU_TARGET = Target.single(1, "% of a core");
  private static final Target API_TARGET = Target.single(30, "/min");

  private final BenchAgent agent;
  private final Path auditLog;

  /**
   * @param auditLog null in standalone mode
   */
  SteadyState(BenchAgent agent, Path auditLog) {
    this.agent = agent;
    this.auditLog = auditLog;
  }

  List<Row> run(Duration window, int pods) throws InterruptedException, IOException {
    Progress.say(
        "B5 settling %d s, then measuring %d s with %d pods",
        SETTLE.toSeconds(), window.toSeconds(), pods);
    Thread.sleep(SETTLE.toMillis());
    awaitEventsWritten();
    SteadyWindow measured = SteadyWindow.measure(agent.process(), window);
    Footprint footprint = measured.footprint();
    String metricsBefore = measured.metricsBefore();
    String metricsAfter = measured.metricsAfter();
    double seconds = measured.seconds();
    double cpuPercent = measured.cpuPercent();
    double machineBusy = measured.machineBusyPercent();
    long ticksPerSecond = measured.ticksPerSecond();
    Instant t0 = measured.start();
    Instant t1 = measured.stop();
    Progress.say(
        "B5 agent CPU %.2f %% of a core, RSS max %.0f MB, machine busy %.0f %% of all cores",
        cpuPercent, footprint.maxRssMb(), machineBusy);

    List<Row> rows = new ArrayList<>();
    rows.add(
        Footprint.cpuRow(
            "B5",
            what(pods),
            cpuPercent,
            CPU_TARGET,
            String.format(
                Locale.ROOT,
                "utime+stime over %.0f s at CLK_TCK %d; the whole machine was %.0f %% busy meanwhile (all %d cores)",
                seconds,
                ticksPerSecond,
                machineBusy,
                ProcStats.cores())));
    rows.addAll(footprint.rows("B5", what(pods)));
    rows.add(apiRequests(t0, t1, metricsBefore, metricsAfter, pods));
    return rows;
  }

  /**
   * Steady state means nothing left over from the start: the Created/Started events of 100 pods
   * take the agent about 40 s to write at the kubelet's event rate (5/s).
   */
  private void awaitEventsWritten() throws InterruptedException {
    Instant start = Instant.now();
    Instant deadline = start.plus(EVENTS_SETTLE_MAX);
    while (Instant.now().isBefore(deadline)) {
      double pending = PrometheusText.sum(agent.process().metrics(), "staticlet_events_pending");
      if (Double.isNaN(pending) || pending == 0) {
        if (!Double.isNaN(pending)) {
          Progress.say(
              "B5 pod events written after %d s more",
              Duration.between(start, Instant.now()).toSeconds());
        }
        return;
      }
      Thread.sleep(1000);
    }
    Progress.say(
        "B5 pod events still pending after %d s; measuring anyway", EVENTS_SETTLE_MAX.toSeconds());
  }

  static List<Row> unavailable(int pods, String reason) {
    List<Row> rows = new ArrayList<>();
    rows.add(
        Row.unavailable(
            "B5", what(pods) + ": agent CPU", "% of a core", CPU_TARGET.text(), reason));
    rows.addAll(Footprint.unavailable("B5", what(pods), reason));
    rows.add(Row.unavailable("B5", apiFigure(pods), "/min", API_TARGET.text(), reason));
    return rows;
  }

  private static String what(int pods) {
    return "steady state, " + pods + " pods";
  }

  private static String apiFigure(int pods) {
    return "steady state, " + pods + " pods: API requests";
  }

  private Row apiRequests(
      Instant t0, Instant t1, String metricsBefore, String metricsAfter, int pods)
      throws InterruptedException, IOException {
    if (auditLog == null) {
      return Row.unavailable(
          "B5", apiFigure(pods), "/min", API_TARGET.text(), "cluster mode unavailable");
    }
    Thread.sleep(2000); // the audit backend writes asynchronously
    ApiRequests requests = ApiRequests.count(auditLog, agent.node(), t0, t1);
    double minutes = Duration.between(t0, t1).toNanos() / 60e9;
    double perMinute = requests.total() / minutes;
    String breakdown =
        requests.byVerbAndResource().entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", "));
    String note =
        "counted in the API server's audit log over "
            + Format.number(minutes * 60)
            + " s: "
            + (breakdown.isEmpty() ? "none" : breakdown)
            + agentCounter(metricsBefore, metricsAfter, minutes);
    return Row.measured(
        "B5", apiFigure(pods), "/min", Summary.single(perMinute), null, API_TARGET, note);
  }

  /** What the agent's own /metrics says, if it counts its API requests. */
  private static String agentCounter(String before, String after, double minutes) {
    Set<String> names = PrometheusText.countersContaining(after, "api_request");
    if (names.isEmpty()) {
      return "; the agent's /metrics has no API request counter";
    }
    StringBuilder sb = new StringBuilder();
    for (String name : names) {
      double delta = PrometheusText.sum(after, name) - PrometheusText.sum(before, name);
      sb.append("; agent's ")
          .append(name)
          .append(": ")
          .append(Format.number(delta / minutes))
          .append("/min");
    }
    return sb.toString();
  }
}
