package io.staticlet.core.reconcile;

import io.fabric8.kubernetes.api.model.Container;
import io.staticlet.core.backoff.RestartBackoff;
import io.staticlet.core.pod.ContainerKey;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.RestartPolicy;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.status.ContainerHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads, once at the start of a pass, what the planner needs besides the engine's list: the crash
 * back-off of each container the plan may restart, the creation holds of the sandbox and the
 * containers, the probes' kill verdicts, the node's IP. Asks the back-offs only about the instances
 * the planner may restart, exactly as a restart would (the crash back-off anchors a failure's time
 * when it first sees it, DECISIONS.md 24). Called on a reconcile worker thread; does not block (no
 * engine call beyond {@code hostIp}, which the runtime answers from memory).
 */
final class PlanInputReader {
  private final RestartBackoff<ContainerKey> crashBackoff;
  private final StartFailures startFailures;
  private final ContainerHealth health;

  PlanInputReader(
      RestartBackoff<ContainerKey> crashBackoff,
      StartFailures startFailures,
      ContainerHealth health) {
    this.crashBackoff = crashBackoff;
    this.startFailures = startFailures;
    this.health = health;
  }

  PlanInput read(
      PodKey key,
      Optional<StaticPod> desired,
      boolean manifestsListed,
      List<RuntimeContainer> observed,
      String hostIp) {
    Map<String, PlanInput.CrashLoop> crashLoops = new HashMap<>();
    Map<String, PlanInput.StartHold> startHolds = new HashMap<>();
    Map<String, PlanInput.Unhealthy> unhealthy = new HashMap<>();
    if (desired.isPresent()) {
      StaticPod pod = desired.get();
      PodInstances mine =
          new PodInstances(observed.stream().filter(c -> c.podUid().equals(pod.uid())).toList());
      holdOf(pod, PodPlanner.SANDBOX, startHolds);
      for (Container spec : PodCompletion.initContainers(pod)) {
        holdOf(pod, spec.getName(), startHolds);
      }
      for (Container spec : pod.pod().getSpec().getContainers()) {
        holdOf(pod, spec.getName(), startHolds);
      }
      mine.sandbox()
          .filter(RuntimeContainer::isRunning)
          .ifPresent(
              sandbox -> {
                readCrashLoops(pod, mine, sandbox, crashLoops);
                readVerdicts(pod, mine, sandbox, unhealthy);
              });
    }
    return new PlanInput(
        key, desired, manifestsListed, observed, crashLoops, startHolds, unhealthy, hostIp);
  }

  private void holdOf(StaticPod pod, String name, Map<String, PlanInput.StartHold> holds) {
    ContainerKey key = new ContainerKey(pod.key(), pod.uid(), name);
    Duration remaining = startFailures.remaining(key);
    if (remaining.compareTo(Duration.ZERO) > 0) {
      startFailures
          .waiting(key)
          .ifPresent(w -> holds.put(name, new PlanInput.StartHold(remaining, w)));
    }
  }

  /**
   * The latest instance in the running sandbox, of each container a restart policy would start
   * again.
   */
  private void readCrashLoops(
      StaticPod pod,
      PodInstances mine,
      RuntimeContainer sandbox,
      Map<String, PlanInput.CrashLoop> crashLoops) {
    RestartPolicy policy = pod.restartPolicy();
    for (Container spec : PodCompletion.initContainers(pod)) {
      mine.latestIn(sandbox.id(), ContainerRole.INIT, spec.getName())
          .filter(inst -> PodInstances.failed(inst) && policy != RestartPolicy.NEVER)
          .ifPresent(inst -> crashLoopOf(pod, inst, crashLoops));
    }
    for (Container spec : pod.pod().getSpec().getContainers()) {
      mine.latestIn(sandbox.id(), ContainerRole.APP, spec.getName())
          .filter(inst -> inst.hasTerminated() && policy.restartsAfter(inst.effectiveExitCode()))
          .ifPresent(inst -> crashLoopOf(pod, inst, crashLoops));
    }
  }

  private void crashLoopOf(
      StaticPod pod, RuntimeContainer inst, Map<String, PlanInput.CrashLoop> crashLoops) {
    ContainerKey key = new ContainerKey(pod.key(), pod.uid(), inst.name());
    Instant failedAt = inst.finishedAt() != null ? inst.finishedAt() : inst.createdAt();
    Duration remaining = crashBackoff.remaining(key, failedAt);
    if (remaining.compareTo(Duration.ZERO) > 0) {
      crashLoops.put(
          inst.name(), new PlanInput.CrashLoop(remaining, crashBackoff.currentDelay(key)));
    }
  }

  /** Kill verdicts of the running app containers in the running sandbox. */
  private void readVerdicts(
      StaticPod pod,
      PodInstances mine,
      RuntimeContainer sandbox,
      Map<String, PlanInput.Unhealthy> unhealthy) {
    for (Container spec : pod.pod().getSpec().getContainers()) {
      mine.latestIn(sandbox.id(), ContainerRole.APP, spec.getName())
          .filter(RuntimeContainer::isRunning)
          .ifPresent(
              inst -> {
                ContainerKey key = new ContainerKey(pod.key(), pod.uid(), spec.getName());
                health
                    .mustRestart(key, inst.id())
                    .ifPresent(
                        why ->
                            unhealthy.put(
                                inst.id(),
                                new PlanInput.Unhealthy(
                                    why,
                                    health
                                        .killGracePeriod(key, inst.id())
                                        .orElse(inst.gracePeriod()))));
              });
    }
  }
}
