package io.staticlet.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.staticlet.testkit.Manifests;
import io.staticlet.testkit.PrometheusText;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * B7: the kubelet's default max-pods (110), each with one httpGet readiness probe at the kubelet's
 * default period (10 s): busybox {@code httpd} on port 8080 of the pod's own network (a sandbox on
 * the engine's bridge; the agent probes the pod IP). The manifests are published at once; once the
 * agent's {@code /pods} shows all of them Running and Ready, the agent's CPU and memory are
 * measured over a steady-state window as in B5, next to the kubelet's published figures (measured
 * with 100 pods).
 */
final class ProbedPods {
  static final String ID = "B7";
  static final String PREFIX = "probed-";
  static final int PORT = 8080;
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration SETTLE = Duration.ofSeconds(10);
  private static final Target CPU_TARGET = Target.single(KubeletFigures.CPU_PERCENT, "% of a core");

  private final BenchAgent agent;

  ProbedPods(BenchAgent agent) {
    this.agent = agent;
  }

  /** A pod whose container serves {@code /} with busybox httpd and exits 0 on SIGTERM. */
  static String manifest(String name) {
    String script =
        "mkdir -p /www && echo ok > /www/index.html && trap 'exit 0' TERM; httpd -f -p "
            + PORT
            + " -h /www & wait";
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
          namespace: %s
        spec:
          terminationGracePeriodSeconds: %d
          containers:
          - name: app
            image: %s
            command: ["sh", "-c", "%s"]
            readinessProbe:
              httpGet:
                path: /
                port: %d
              periodSeconds: 10
        """
        .formatted(
            name, Manifests.NAMESPACE, Manifests.GRACE_SECONDS, Manifests.IMAGE, script, PORT);
  }

  List<Row> run(int pods, Duration window) throws Exception {
    List<String> names = new ArrayList<>();
    List<Path> staged = new ArrayList<>();
    for (int i = 0; i < pods; i++) {
      String name = String.format(Locale.ROOT, "%s%03d", PREFIX, i);
      names.add(name);
      staged.add(agent.manifests().stage(name, manifest(name)));
    }
    Set<String> podNames = names.stream().map(agent::podName).collect(Collectors.toSet());
    Progress.say("B7 publishing %d manifests with an httpGet readiness probe", pods);
    Instant t0 = Instant.now();
    staged.forEach(agent.manifests()::publish);
    double readyS = awaitAllReady(podNames, t0);
    Progress.say(
        "B7 all %d pods Ready after %.1f s; settling %d s, then measuring %d s",
        pods, readyS, SETTLE.toSeconds(), window.toSeconds());
    Thread.sleep(SETTLE.toMillis());

    SteadyWindow measured = SteadyWindow.measure(agent.process(), window);
    Footprint footprint = measured.footprint();
    String metricsBefore = measured.metricsBefore();
    String metricsAfter = measured.metricsAfter();
    long stillReady =
        listedPods().stream()
            .filter(
                p ->
                    podNames.contains(p.getMetadata().getName())
                        && PodConditions.runningAndReady(p))
            .count();

    double seconds = measured.seconds();
    double cpuPercent = measured.cpuPercent();
    double machineBusy = measured.machineBusyPercent();
    Progress.say(
        "B7 agent CPU %.2f %% of a core, RSS max %.0f MB, machine busy %.0f %%",
        cpuPercent, footprint.maxRssMb(), machineBusy);

    List<Row> rows = new ArrayList<>();
    rows.add(
        Row.measured(
            ID,
            readyFigure(pods),
            "s",
            Summary.single(readyS),
            null,
            null,
            "from the first rename to the last pod Running and Ready in the agent's /pods (polled every 500 ms)"));
    rows.add(
        Footprint.cpuRow(
            ID,
            what(pods),
            cpuPercent,
            CPU_TARGET,
            String.format(
                Locale.ROOT,
                "utime+stime over %.0f s; %d of %d pods Ready at the end; %s; the whole machine was %.0f %% busy",
                seconds,
                stillReady,
                pods,
                probeRate(metricsBefore, metricsAfter, seconds),
                machineBusy)));
    rows.addAll(footprint.rows(ID, what(pods)));
    return rows;
  }

  private double awaitAllReady(Set<String> podNames, Instant t0) throws InterruptedException {
    Instant deadline = t0.plus(READY_TIMEOUT);
    long ready = 0;
    while (Instant.now().isBefore(deadline)) {
      List<Pod> listed = listedPods();
      ready =
          listed.stream()
              .filter(
                  p ->
                      podNames.contains(p.getMetadata().getName())
                          && PodConditions.runningAndReady(p))
              .count();
      if (ready == podNames.size()) {
        return Duration.between(t0, Instant.now()).toMillis() / 1000.0;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        ready
            + " of "
            + podNames.size()
            + " probed pods Ready after "
            + READY_TIMEOUT.toMinutes()
            + " min");
  }

  /** The agent's /pods, or none while it does not answer (it is polled). */
  private List<Pod> listedPods() {
    try {
      return agent.process().pods();
    } catch (IllegalStateException e) {
      return List.of();
    }
  }

  /** The agent's probe counter over the window, when its /metrics has one. */
  private static String probeRate(String before, String after, double seconds) {
    Set<String> counters = PrometheusText.countersContaining(after, "probe");
    if (counters.isEmpty()) {
      return "no probe counter in /metrics";
    }
    return counters.stream()
        .map(
            name ->
                name
                    + " "
                    + Format.number(
                        (PrometheusText.sum(after, name) - PrometheusText.sum(before, name))
                            / seconds)
                    + "/s")
        .collect(Collectors.joining(", "));
  }

  static List<Row> unavailable(int pods, String reason) {
    List<Row> rows = new ArrayList<>();
    rows.add(Row.unavailable(ID, readyFigure(pods), "s", null, reason));
    rows.add(
        Row.unavailable(ID, what(pods) + ": agent CPU", "% of a core", CPU_TARGET.text(), reason));
    rows.addAll(Footprint.unavailable(ID, what(pods), reason));
    return rows;
  }

  private static String readyFigure(int pods) {
    return pods + " pods with an httpGet readiness probe → all Ready";
  }

  private static String what(int pods) {
    return "steady state, " + pods + " probed pods";
  }
}
