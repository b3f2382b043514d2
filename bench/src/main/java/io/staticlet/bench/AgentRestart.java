package io.staticlet.bench;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * B6: the agent is SIGKILLed with its pods running and started again. Measured: how many containers
 * were restarted (a running container's id or StartedAt changed, or a new one appeared), and the
 * time from the new process's exec to "every mirror consistent": the agent's {@code /pods} and
 * every mirror (present, not being deleted, Running, ready) report exactly the Docker app container
 * that was running before the kill. Already-consistent mirrors left over from before the kill do
 * not count alone: the new process must have adopted the pods ({@code /pods}) too. Consistency must
 * then hold for {@link #STABLE} (a transient regression restarts the clock).
 */
final class AgentRestart {
  static final Duration STABLE = Duration.ofSeconds(5);
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Target RESTARTS_TARGET = new Target("= 0", Summary.Statistic.MAX, 0);
  private static final Target TIME_TARGET = Target.single(1.5, "s");
  private static final Target HEALTHZ_TARGET = Target.single(0.5, "s");

  private final BenchAgent agent;

  AgentRestart(BenchAgent agent) {
    this.agent = agent;
  }

  List<Row> run(Set<String> podNames) throws TimeoutException, InterruptedException {
    Map<String, String> apps = agent.runningApps();
    if (!apps.keySet().containsAll(podNames)) {
      throw new IllegalStateException(
          "B6 needs every pod running; only " + apps.size() + " of " + podNames.size() + " are");
    }
    Map<String, String> startedBefore = agent.containers().startedAtById();
    Map<String, String> mirrorUidsBefore = mirrorUids();
    Progress.say(
        "B6 killing the agent (SIGKILL) with %d pods, %d containers running",
        podNames.size(), startedBefore.size());
    agent.process().kill();
    Instant exec = agent.process().spawn();
    Instant consistentSince = null;
    Instant podsSince = null;
    Instant mirrorsSince = null;
    Instant healthzAt = null;
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (consistentSince == null
        || Duration.between(consistentSince, Instant.now()).compareTo(STABLE) < 0) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "B6: pods and mirrors not consistent "
                + TIMEOUT.toSeconds()
                + " s after the restart"
                + (agent.process().isAlive()
                    ? ""
                    : "; the agent died:\n" + agent.process().logTail(20)));
      }
      if (healthzAt == null) {
        Instant asked = Instant.now();
        if ("ok".equals(agent.process().healthz())) {
          healthzAt = asked;
        } else {
          Thread.sleep(20);
          continue;
        }
      }
      Instant checked = Instant.now();
      boolean pods = agentConsistent(apps);
      boolean mirrors = mirrorsConsistent(apps);
      podsSince = pods ? (podsSince == null ? checked : podsSince) : null;
      mirrorsSince = mirrors ? (mirrorsSince == null ? checked : mirrorsSince) : null;
      boolean consistent = pods && mirrors;
      if (!consistent) {
        consistentSince = null;
      } else if (consistentSince == null) {
        consistentSince = checked;
      }
      Thread.sleep(100);
    }
    double seconds = Await.millisBetween(exec, consistentSince) / 1000;
    Map<String, String> startedAfter = agent.containers().startedAtById();
    int restarts = restarts(startedBefore, startedAfter);
    long recreatedMirrors =
        agent.clusterMode()
            ? mirrorUids().entrySet().stream()
                .filter(e -> !e.getValue().equals(mirrorUidsBefore.get(e.getKey())))
                .count()
            : 0;
    Progress.say(
        "B6 consistent %.2f s after exec; %d container restarts; %d mirrors re-created",
        seconds, restarts, recreatedMirrors);
    String figureTime = timeFigure(podNames.size());
    String noteTime =
        "polled every 100 ms; consistent = /pods"
            + (agent.clusterMode() ? " and every mirror" : "")
            + " Running, ready, with the same Docker container ids as before the kill"
            + String.format(
                Locale.ROOT,
                "; /pods consistent from %.2f s",
                Await.millisBetween(exec, podsSince) / 1000)
            + (agent.clusterMode()
                ? String.format(
                    Locale.ROOT,
                    ", mirrors from %.2f s; %d mirrors were re-created (new UID)",
                    Await.millisBetween(exec, mirrorsSince) / 1000,
                    recreatedMirrors)
                : "; mirrors n/a (cluster mode unavailable)");
    return List.of(
        Row.measured(
            "B6",
            restartsFigure(podNames.size()),
            "",
            Summary.single(restarts),
            null,
            RESTARTS_TARGET,
            "running containers' id and StartedAt (docker inspect) before the kill and after consistency"),
        Row.measured(
            "B6",
            healthzFigure(podNames.size()),
            "s",
            Summary.single(Await.millisBetween(exec, healthzAt) / 1000),
            null,
            HEALTHZ_TARGET,
            "polled every 20 ms from exec until the first \"ok\" (the time the answering request was sent)"),
        Row.measured("B6", figureTime, "s", Summary.single(seconds), null, TIME_TARGET, noteTime));
  }

  static List<Row> unavailable(int pods, String reason) {
    return List.of(
        Row.unavailable("B6", restartsFigure(pods), "", RESTARTS_TARGET.text(), reason),
        Row.unavailable("B6", healthzFigure(pods), "s", HEALTHZ_TARGET.text(), reason),
        Row.unavailable("B6", timeFigure(pods), "s", TIME_TARGET.text(), reason));
  }

  private static String restartsFigure(int pods) {
    return "SIGKILL + restart, " + pods + " pods: containers restarted";
  }

  private static String healthzFigure(int pods) {
    return "SIGKILL + restart, " + pods + " pods: process start → /healthz ok";
  }

  private static String timeFigure(int pods) {
    return "SIGKILL + restart, " + pods + " pods: process start → every mirror consistent";
  }

  private boolean agentConsistent(Map<String, String> apps) {
    Optional<List<Pod>> pods = agent.process().podsIfAnswering();
    if (pods.isEmpty()) {
      return false;
    }
    Map<String, Pod> byName = new HashMap<>();
    pods.get().forEach(p -> byName.put(p.getMetadata().getName(), p));
    return apps.entrySet().stream()
        .allMatch(
            e ->
                byName.containsKey(e.getKey())
                    && PodConditions.runningWithContainer(byName.get(e.getKey()), e.getValue()));
  }

  private boolean mirrorsConsistent(Map<String, String> apps) {
    if (!agent.clusterMode()) {
      return true;
    }
    Map<String, Pod> mirrors = agent.mirrors().snapshot();
    return apps.entrySet().stream()
        .allMatch(
            e ->
                mirrors.containsKey(e.getKey())
                    && PodConditions.runningWithContainer(mirrors.get(e.getKey()), e.getValue()));
  }

  private Map<String, String> mirrorUids() {
    Map<String, String> uids = new HashMap<>();
    if (agent.clusterMode()) {
      agent.mirrors().snapshot().forEach((name, pod) -> uids.put(name, pod.getMetadata().getUid()));
    }
    return uids;
  }

  /**
   * Containers running before that are gone or whose start time changed, plus new containers beyond
   * those replacing them (a restart is one gone and one new container: counted once).
   */
  static int restarts(Map<String, String> before, Map<String, String> after) {
    int changed = 0;
    for (Map.Entry<String, String> e : before.entrySet()) {
      if (!e.getValue().equals(after.get(e.getKey()))) {
        changed++;
      }
    }
    List<String> added = new ArrayList<>(after.keySet());
    added.removeAll(before.keySet());
    return changed + Math.max(0, added.size() - changed);
  }
}
