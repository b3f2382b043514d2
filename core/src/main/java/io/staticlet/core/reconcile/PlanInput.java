package io.staticlet.core.reconcile;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.status.ContainerWaiting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@link PodPlanner} decides from, read once at the start of a pass ({@link
 * PlanInputReader}). A value: back-offs are given as what is left of them on the monotonic ticker
 * (DECISIONS.md 24), so the planner needs no clock. Made on the reconcile worker thread at the
 * start of a pass; immutable, so any thread may read it.
 *
 * @param key the pod
 * @param desired the pod from its manifest, empty when there is none
 * @param manifestsListed whether the manifest path was listed at least once (DECISIONS.md 10)
 * @param observed the engine's containers of the pod, every UID, as listed for this pass
 * @param crashLoops containers (by name) of the desired incarnation whose restart is held by their
 *     crash back-off; only entries with time left
 * @param startHolds containers (by name, {@link PodPlanner#SANDBOX} for the sandbox) whose creation
 *     is held after a failed pull or a refused create; only entries with time left
 * @param unhealthy running instances (by container ID) that a failed liveness or startup probe says
 *     must be killed
 * @param hostIp the node's IP (the pod IP of hostNetwork pods)
 */
public record PlanInput(
    PodKey key,
    Optional<StaticPod> desired,
    boolean manifestsListed,
    List<RuntimeContainer> observed,
    Map<String, CrashLoop> crashLoops,
    Map<String, StartHold> startHolds,
    Map<String, Unhealthy> unhealthy,
    String hostIp) {

  /** A crash back-off with {@code remaining} left of {@code delay}. */
  public record CrashLoop(Duration remaining, Duration delay) {}

  /**
   * A creation back-off with {@code remaining} left; {@code waiting} is what the container shows
   * meanwhile.
   */
  public record StartHold(Duration remaining, ContainerWaiting waiting) {}

  /** Why a running instance must be killed, and with which grace period. */
  public record Unhealthy(String reason, Duration grace) {}

  public PlanInput {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(desired, "desired");
    observed = List.copyOf(observed);
    crashLoops = Map.copyOf(crashLoops);
    startHolds = Map.copyOf(startHolds);
    unhealthy = Map.copyOf(unhealthy);
    Objects.requireNonNull(hostIp, "hostIp");
  }

  /** The desired pod, or {@code null}. */
  StaticPod pod() {
    return desired.orElse(null);
  }
}
