package io.staticlet.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

/**
 * B4: many manifests at once → every app container running, and → every mirror Running, against the
 * same sandbox + app pairs created directly with docker-java at the agent's parallelism ({@code
 * --sync-workers}). Each repetition runs the baseline, removes it, then the agent; the last agent
 * repetition leaves its pods running for B5 and B6.
 */
final class BulkStartup {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final BenchAgent agent;
  private final DirectPods direct;
  private final ContainerStarts starts;
  private final int pods;
  private final int parallelism;
  private List<String> keptManifests = List.of();

  BulkStartup(
      BenchAgent agent, DirectPods direct, ContainerStarts starts, int pods, int parallelism) {
    this.agent = agent;
    this.direct = direct;
    this.starts = starts;
    this.pods = pods;
    this.parallelism = parallelism;
  }

  /** The manifests of the pods left running by the last repetition. */
  List<String> keptManifests() {
    return keptManifests;
  }

  List<Row> run(int repetitions) throws TimeoutException, InterruptedException {
    List<Double> baselineS = new ArrayList<>();
    List<Double> containersS = new ArrayList<>();
    List<Double> mirrorsS = new ArrayList<>();
    for (int r = 0; r < repetitions; r++) {
      double b = baselineOnce(r);
      baselineS.add(b);
      Progress.say("B4 run %d: baseline %d pods running after %.1f s", r, pods, b);
      boolean last = r == repetitions - 1;
      double[] a = agentOnce(r, last);
      containersS.add(a[0]);
      Progress.say(
          "B4 run %d: agent %d containers running after %.1f s%s",
          r,
          pods,
          a[0],
          agent.clusterMode()
              ? String.format(Locale.ROOT, ", mirrors Running after %.1f s", a[1])
              : "");
      if (agent.clusterMode()) {
        mirrorsS.add(a[1]);
      }
    }
    Summary baseline = Summary.of(baselineS);
    Summary containers = Summary.of(containersS);
    String figure = containersFigure(pods);
    List<Row> rows = new ArrayList<>();
    rows.add(
        Row.measured(
            "B4",
            figure,
            "s",
            containers,
            baseline,
            Target.relative(
                Summary.Statistic.MEDIAN, "1.05 × baseline", 1.05 * baseline.median(), "s"),
            "baseline: "
                + pods
                + " sandbox + app pairs via docker-java, "
                + parallelism
                + " in parallel"));
    String mirrorFigure = mirrorsFigure(pods);
    Target mirrorTarget =
        Target.relative(Summary.Statistic.MEDIAN, "containers + 3 s", containers.median() + 3, "s");
    rows.add(
        mirrorsS.isEmpty()
            ? Row.unavailable(
                "B4", mirrorFigure, "s", mirrorTarget.text(), "cluster mode unavailable")
            : Row.measured(
                "B4", mirrorFigure, "s", Summary.of(mirrorsS), null, mirrorTarget, null));
    return rows;
  }

  static List<Row> unavailable(int pods, String reason) {
    return List.of(
        Row.unavailable("B4", containersFigure(pods), "s", "median ≤ 1.05 × baseline", reason),
        Row.unavailable("B4", mirrorsFigure(pods), "s", "median ≤ containers + 3 s", reason));
  }

  private static String containersFigure(int pods) {
    return pods + " manifests at once → all app containers running";
  }

  private static String mirrorsFigure(int pods) {
    return pods + " manifests at once → all mirrors Running";
  }

  private double baselineOnce(int repetition) throws TimeoutException, InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      List<CompletableFuture<Instant>> running = new ArrayList<>();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < pods; i++) {
        names.add(String.format(Locale.ROOT, "b4-%d-%03d", repetition, i));
      }
      List<CompletableFuture<Instant>> appStarts =
          names.stream().map(n -> starts.await(direct.appOf(n))).toList();
      Instant t0 = Instant.now();
      for (int i = 0; i < pods; i++) {
        String name = names.get(i);
        CompletableFuture<Instant> started = appStarts.get(i);
        running.add(
            CompletableFuture.runAsync(() -> direct.launch(name), pool).thenCompose(v -> started));
      }
      Instant last = Await.latest(running, TIMEOUT, "B4 baseline app containers");
      return Await.millisBetween(t0, last) / 1000;
    } finally {
      pool.shutdownNow();
      direct.removeAll(parallelism);
    }
  }

  /**
   * @return seconds to all containers running and (cluster mode) to all mirrors Running
   */
  private double[] agentOnce(int repetition, boolean keep)
      throws TimeoutException, InterruptedException {
    List<String> names = new ArrayList<>();
    List<Path> staged = new ArrayList<>();
    List<CompletableFuture<Instant>> running = new ArrayList<>();
    List<CompletableFuture<Instant>> mirrored = new ArrayList<>();
    for (int i = 0; i < pods; i++) {
      String name = String.format(Locale.ROOT, "b4-%d-%03d", repetition, i);
      names.add(name);
      staged.add(agent.manifests().stage(name));
      running.add(starts.await(AgentLabels.appOf(agent.node(), agent.podName(name))));
      if (agent.clusterMode()) {
        mirrored.add(agent.mirrors().await(agent.podName(name), PodConditions::runningAndReady));
      }
    }
    Instant t0 = Instant.now();
    staged.forEach(agent.manifests()::publish);
    double containers =
        Await.millisBetween(t0, Await.latest(running, TIMEOUT, "B4 agent app containers")) / 1000;
    double mirrors =
        agent.clusterMode()
            ? Await.millisBetween(t0, Await.latest(mirrored, TIMEOUT, "B4 mirrors Running")) / 1000
            : Double.NaN;
    if (keep) {
      keptManifests = List.copyOf(names);
    } else {
      agent.removePods(names, Duration.ofMinutes(3));
    }
    return new double[] {containers, mirrors};
  }
}
