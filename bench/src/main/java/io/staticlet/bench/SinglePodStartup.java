package io.staticlet.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * B1: manifest → app container running, one pod at a time, against the same sandbox + app pair
 * created directly with docker-java. Agent and baseline iterations alternate (and swap order every
 * iteration), so that a load spike from the rest of the machine hits both alike. Each pod is
 * removed (and the agent has finished removing it) before the next iteration starts.
 */
final class SinglePodStartup {
  static final String FIGURE = "manifest → app container running (1 pod)";

  private final BenchAgent agent;
  private final DirectPods direct;
  private final ContainerStarts starts;

  SinglePodStartup(BenchAgent agent, DirectPods direct, ContainerStarts starts) {
    this.agent = agent;
    this.direct = direct;
    this.starts = starts;
  }

  List<Row> run(int warmup, int runs) throws TimeoutException, InterruptedException {
    List<Double> agentMs = new ArrayList<>();
    List<Double> baselineMs = new ArrayList<>();
    for (int i = 0; i < warmup + runs; i++) {
      String name = "b1-" + i;
      double a;
      double b;
      if (i % 2 == 0) {
        a = agentOnce(name);
        b = baselineOnce(name);
      } else {
        b = baselineOnce(name);
        a = agentOnce(name);
      }
      boolean measured = i >= warmup;
      Progress.say(
          "B1 %s %d: agent %.0f ms, baseline %.0f ms", measured ? "run" : "warm-up", i, a, b);
      if (measured) {
        agentMs.add(a);
        baselineMs.add(b);
      }
    }
    Summary value = Summary.of(agentMs);
    Summary baseline = Summary.of(baselineMs);
    Target target =
        Target.relative(
            Summary.Statistic.MEDIAN, "1.10 × baseline", 1.10 * baseline.median(), "ms");
    return List.of(
        Row.measured(
            "B1",
            FIGURE,
            "ms",
            value,
            baseline,
            target,
            "running = the engine's start event of the app container (timeNano), agent and baseline alike"));
  }

  /**
   * Unmeasured pods through a fresh agent, so that one-time costs of a new process (JIT, first
   * connections, the engine refusing the sandbox's negative oom_score_adj once) are not charged to
   * the first measured figure.
   */
  static void warmUp(BenchAgent agent, ContainerStarts starts, int pods)
      throws TimeoutException, InterruptedException {
    for (int i = 0; i < pods; i++) {
      String name = "warmup-" + i;
      CompletableFuture<Instant> started =
          starts.await(AgentLabels.appOf(agent.node(), agent.podName(name)));
      agent.manifests().publish(agent.manifests().stage(name));
      Await.get(started, Duration.ofSeconds(60), "warm-up pod " + name);
      agent.removePods(List.of(name), Duration.ofSeconds(60));
    }
  }

  static List<Row> unavailable(String reason) {
    return List.of(Row.unavailable("B1", FIGURE, "ms", "median ≤ 1.10 × baseline", reason));
  }

  private double agentOnce(String name) throws TimeoutException, InterruptedException {
    String pod = agent.podName(name);
    Path staged = agent.manifests().stage(name);
    CompletableFuture<Instant> started = starts.await(AgentLabels.appOf(agent.node(), pod));
    Instant t0 = Instant.now();
    agent.manifests().publish(staged);
    Instant running = Await.get(started, Duration.ofSeconds(60), "B1 app container of " + pod);
    agent.removePods(List.of(name), Duration.ofSeconds(60));
    return Await.millisBetween(t0, running);
  }

  private double baselineOnce(String name) throws TimeoutException, InterruptedException {
    CompletableFuture<Instant> started = starts.await(direct.appOf(name));
    Instant t0 = Instant.now();
    direct.launch(name);
    Instant running =
        Await.get(started, Duration.ofSeconds(60), "B1 baseline app container of " + name);
    direct.remove(name);
    return Await.millisBetween(t0, running);
  }
}
