package io.staticlet.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.staticlet.testkit.Manifests;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * B3: an administrator deletes the mirror pod gracefully (an API DELETE with the default grace
 * period, as {@code kubectl delete} sends it) → a new mirror (new UID) is visible in the watch. The
 * static pod's containers must survive every round; the note says whether they did.
 */
final class MirrorRecreate {
  static final String FIGURE = "graceful delete of the mirror → new mirror visible";

  /**
   * What {@code kubectl delete pod} (1.20+) sends: background propagation, no grace period of its
   * own.
   */
  private static final Map<String, Object> KUBECTL_DELETE =
      Map.of("kind", "DeleteOptions", "apiVersion", "v1", "propagationPolicy", "Background");

  private final BenchAgent agent;

  MirrorRecreate(BenchAgent agent) {
    this.agent = agent;
  }

  static List<Row> unavailable(String reason) {
    return List.of(
        Row.unavailable("B3", FIGURE + " (median)", "ms", "median ≤ 250 ms", reason),
        Row.unavailable("B3", FIGURE + " (max)", "ms", "max ≤ 500 ms", reason));
  }

  List<Row> run(int warmup, int runs) throws TimeoutException, InterruptedException {
    String name = "b3";
    String pod = agent.podName(name);
    CompletableFuture<Instant> first = agent.mirrors().await(pod, PodConditions::runningAndReady);
    agent.manifests().publish(agent.manifests().stage(name));
    Await.get(first, Duration.ofSeconds(60), "B3 first mirror " + pod);
    String appBefore = agent.runningApps().get(pod);
    List<Double> ms = new ArrayList<>();
    int graceful = 0;
    for (int i = 0; i < warmup + runs; i++) {
      Pod current = agent.mirrors().snapshot().get(pod);
      String oldUid = current.getMetadata().getUid();
      CompletableFuture<Instant> replaced =
          agent.mirrors().await(pod, PodConditions.replacing(oldUid));
      CompletableFuture<Instant> marked =
          agent
              .mirrors()
              .await(
                  pod,
                  p ->
                      oldUid.equals(p.getMetadata().getUid())
                          && p.getMetadata().getDeletionTimestamp() != null);
      Instant t0 = Instant.now();
      agent
          .admin()
          .raw(
              "/api/v1/namespaces/" + Manifests.NAMESPACE + "/pods/" + pod,
              "DELETE",
              KUBECTL_DELETE);
      Instant visible =
          Await.get(
              replaced,
              Duration.ofSeconds(60),
              "B3 new mirror of " + pod + " after deleting uid " + oldUid);
      double m = Await.millisBetween(t0, visible);
      boolean measured = i >= warmup;
      Progress.say(
          "B3 %s %d: new mirror visible after %.0f ms", measured ? "run" : "warm-up", i, m);
      if (measured) {
        ms.add(m);
      }
      if (marked.isDone()) {
        graceful++;
      }
      // start the next round from a settled mirror
      Await.get(
          agent
              .mirrors()
              .await(
                  pod,
                  p -> PodConditions.replacing(oldUid).test(p) && PodConditions.runningAndReady(p)),
          Duration.ofSeconds(60),
          "B3 new mirror of " + pod + " Running");
      Thread.sleep(300);
    }
    String appAfter = agent.runningApps().get(pod);
    String note =
        "DELETE with kubectl's body (no grace period: the pod's own applies); in "
            + graceful
            + " of "
            + (warmup + runs)
            + " rounds the watch saw the old mirror marked for deletion before it went; "
            + (appBefore != null && appBefore.equals(appAfter)
                ? "the static pod's app container kept running through all of them"
                : "the app container changed from "
                    + appBefore
                    + " to "
                    + appAfter
                    + " (restarted by a mirror deletion!)");
    agent.removePods(List.of(name), Duration.ofSeconds(60));
    Summary value = Summary.of(ms);
    return List.of(
        Row.measured(
            "B3",
            FIGURE + " (median)",
            "ms",
            value,
            null,
            Target.absolute(Summary.Statistic.MEDIAN, 250, "ms"),
            note),
        Row.measured(
            "B3",
            FIGURE + " (max)",
            "ms",
            value,
            null,
            Target.absolute(Summary.Statistic.MAX, 500, "ms"),
            null));
  }
}
