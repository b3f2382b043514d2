package io.staticlet.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * B2: manifest → mirror pod {@code Running} with every container ready, as an administrator's watch
 * sees it, one pod at a time. The app container's start is recorded in the same runs, so the
 * mirror's lag behind the container is visible too.
 */
final class MirrorStartup {
  static final String FIGURE = "manifest → mirror Running + ready (1 pod)";

  private final BenchAgent agent;
  private final ContainerStarts starts;

  MirrorStartup(BenchAgent agent, ContainerStarts starts) {
    this.agent = agent;
    this.starts = starts;
  }

  static List<Row> unavailable(String reason) {
    return List.of(Row.unavailable("B2", FIGURE, "ms", "median ≤ B1 + 150 ms", reason));
  }

  /**
   * @param b1 the B1 figure the target is relative to; null if B1 was not measured
   */
  List<Row> run(int warmup, int runs, Summary b1) throws TimeoutException, InterruptedException {
    List<Double> mirrorMs = new ArrayList<>();
    List<Double> containerMs = new ArrayList<>();
    for (int i = 0; i < warmup + runs; i++) {
      String name = "b2-" + i;
      String pod = agent.podName(name);
      Path staged = agent.manifests().stage(name);
      CompletableFuture<Instant> started = starts.await(AgentLabels.appOf(agent.node(), pod));
      CompletableFuture<Instant> ready = agent.mirrors().await(pod, PodConditions::runningAndReady);
      Instant t0 = Instant.now();
      agent.manifests().publish(staged);
      Instant running = Await.get(started, Duration.ofSeconds(60), "B2 app container of " + pod);
      Instant mirrored =
          Await.get(ready, Duration.ofSeconds(60), "B2 mirror " + pod + " Running and ready");
      double m = Await.millisBetween(t0, mirrored);
      double c = Await.millisBetween(t0, running);
      boolean measured = i >= warmup;
      Progress.say(
          "B2 %s %d: mirror ready %.0f ms (container %.0f ms)",
          measured ? "run" : "warm-up", i, m, c);
      if (measured) {
        mirrorMs.add(m);
        containerMs.add(c);
      }
      agent.removePods(List.of(name), Duration.ofSeconds(60));
    }
    Summary value = Summary.of(mirrorMs);
    Summary containers = Summary.of(containerMs);
    String note =
        "same runs: app container running median "
            + Format.value(containers.median(), "ms")
            + ", so the mirror lags it by "
            + Format.value(value.median() - containers.median(), "ms");
    Target target =
        b1 == null
            ? null
            : Target.relative(Summary.Statistic.MEDIAN, "B1 + 150 ms", b1.median() + 150, "ms");
    return List.of(
        Row.measured(
            "B2",
            FIGURE,
            "ms",
            value,
            null,
            target,
            b1 == null ? note + "; B1 not measured" : note));
  }
}
