package io.staticlet.bench;

import io.staticlet.testkit.Manifests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * B8: what the kubelet API costs a user, as kubectl against the engine's own CLI on the same
 * container in the same run, alternated round by round: {@code kubectl logs <mirror>} (kubectl →
 * kube-apiserver → the agent's kubelet API → the engine's logs) against {@code docker logs
 * <container>}, and {@code kubectl exec <mirror> -- true} against {@code docker exec <container>
 * true}. Each {@link Pair} is one row; a new kubelet API figure is one more pair.
 */
final class KubeletApiLatency {
  static final String ID = "B8";

  /**
   * On top of the engine's own CLI, the API server's proxying and our server may cost this much.
   */
  static final double ALLOWANCE_MS = 250;

  static final String LOGS_FIGURE = "kubectl logs of a mirror (200 lines)";
  static final String EXEC_FIGURE = "kubectl exec of a mirror -- true";

  /**
   * One figure: our command and the reference it is compared with; both must succeed and print what
   * {@code check} wants.
   */
  record Pair(String figure, List<String> ours, List<String> reference, Predicate<String> check) {}

  private final BenchAgent agent;
  private final Path kubectl;
  private final Path adminKubeconfig;

  KubeletApiLatency(BenchAgent agent, Path kubectl, Path adminKubeconfig) {
    this.agent = agent;
    this.kubectl = kubectl;
    this.adminKubeconfig = adminKubeconfig;
  }

  static List<Row> unavailable(String reason) {
    return List.of(
        Row.unavailable(
            ID, LOGS_FIGURE, "ms", "median ≤ docker logs + " + (int) ALLOWANCE_MS + " ms", reason),
        Row.unavailable(
            ID, EXEC_FIGURE, "ms", "median ≤ docker exec + " + (int) ALLOWANCE_MS + " ms", reason));
  }

  /** The pod B8 reads: 200 numbered lines, then it sleeps until SIGTERM. */
  static String manifest(String name) {
    return Manifests.pod(
        name,
        "i=0; while [ $i -lt 200 ]; do echo line $i; i=$((i+1)); done; "
            + Manifests.SERVICE_SCRIPT);
  }

  List<Row> run(int warmup, int runs) throws TimeoutException, InterruptedException, IOException {
    String name = "b7";
    String pod = agent.podName(name);
    CompletableFuture<Instant> ready = agent.mirrors().await(pod, PodConditions::runningAndReady);
    agent.manifests().publish(agent.manifests().stage(name, manifest(name)));
    Await.get(ready, Duration.ofSeconds(60), "B8 mirror " + pod);
    String container = agent.runningApps().get(pod);
    if (container == null) {
      throw new IllegalStateException("B8: no running app container of " + pod);
    }
    List<Pair> pairs =
        List.of(
            new Pair(
                LOGS_FIGURE,
                kubectl("logs", "-n", Manifests.NAMESPACE, pod),
                List.of("docker", "logs", container),
                out -> out.contains("line 199\n")),
            // exec: WebSocket attempt refused, SPDY upgrade, streams, the exit status (exit code 0
            // checked)
            new Pair(
                EXEC_FIGURE,
                kubectl("exec", "-n", Manifests.NAMESPACE, pod, "--", "true"),
                List.of("docker", "exec", container, "true"),
                out -> out.isEmpty()));
    List<Row> rows = new ArrayList<>();
    try {
      for (Pair pair : pairs) {
        rows.add(measure(pair, warmup, runs));
      }
    } finally {
      agent.removePods(List.of(name), Duration.ofSeconds(60));
    }
    return rows;
  }

  private List<String> kubectl(String... args) {
    List<String> cmd =
        new ArrayList<>(List.of(kubectl.toString(), "--kubeconfig=" + adminKubeconfig));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private Row measure(Pair pair, int warmup, int runs) throws IOException, InterruptedException {
    // the output must be there before timing starts (the container may still be printing)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!pair.check().test(timed(pair.reference(), null).output())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "B8: " + pair.reference() + " never printed the expected output");
      }
      Thread.sleep(200);
    }
    List<Double> ours = new ArrayList<>();
    List<Double> reference = new ArrayList<>();
    for (int i = 0; i < warmup + runs; i++) {
      Timed a = timed(pair.ours(), pair.check());
      Timed b = timed(pair.reference(), pair.check());
      boolean measured = i >= warmup;
      Progress.say(
          "B8 %s %d: %s %.0f ms, reference %.0f ms",
          measured ? "run" : "warm-up", i, pair.figure(), a.ms(), b.ms());
      if (measured) {
        ours.add(a.ms());
        reference.add(b.ms());
      }
    }
    Summary value = Summary.of(ours);
    Summary baseline = Summary.of(reference);
    return Row.measured(
        ID,
        pair.figure(),
        "ms",
        value,
        baseline,
        Target.relative(
            Summary.Statistic.MEDIAN,
            "reference + " + (int) ALLOWANCE_MS + " ms",
            baseline.median() + ALLOWANCE_MS,
            "ms"),
        "baseline: "
            + String.join(" ", pair.reference().subList(0, 2))
            + " of the same container, alternated in the same run; "
            + "both are CLI processes started per call");
  }

  private record Timed(double ms, String output) {}

  private static Timed timed(List<String> command, Predicate<String> check)
      throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("B8: " + command + " hung");
    }
    double ms = (System.nanoTime() - t0) / 1e6;
    if (check != null && (p.exitValue() != 0 || !check.test(out))) {
      throw new IllegalStateException(
          "B8: "
              + command
              + " exited "
              + p.exitValue()
              + ": "
              + out.substring(0, Math.min(out.length(), 300)));
    }
    return new Timed(ms, out);
  }
}
