package io.staticlet.core.reconcile;

import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.status.ContainerWaiting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One step of a pod's plan, as data: what {@link PodPlanner} decided and {@link PlanExecutor}
 * performs, in list order. Values only, no behaviour; built and read on a reconcile worker thread,
 * safe to hand anywhere (the lists and maps are copied).
 */
public sealed interface RuntimeAction {

  /**
   * Stops (preStop, grace from the labels) and removes every container of one or more pod
   * incarnations, then their node resources and back-off state: a removed manifest, or the old UID
   * of an edited one (DECISIONS.md 9: fully gone before the new one starts).
   */
  record KillPod(List<RuntimeContainer> containers, String reason) implements RuntimeAction {
    public KillPod {
      containers = List.copyOf(containers);
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Stops the running ones of {@code containers} in parallel, sandboxes last; removes nothing. */
  record StopContainers(List<RuntimeContainer> containers, Why why) implements RuntimeAction {
    /**
     * Why containers are stopped; only strays count as a change the status must be re-listed for.
     */
    public enum Why {
      /** The sandbox died: its containers go before a new one is created. */
      SANDBOX_GONE("sandbox gone", false),
      /** Containers still running in an older sandbox of the same incarnation. */
      SANDBOX_CHANGED("sandbox changed", true),
      /** The pod reached Succeeded or Failed: its sandbox is stopped. */
      POD_COMPLETED("pod completed", false);

      private final String text;
      private final boolean relistsStatus;

      Why(String text, boolean relistsStatus) {
        this.text = text;
        this.relistsStatus = relistsStatus;
      }

      /** As logged and given to the terminator. */
      public String text() {
        return text;
      }

      /**
       * Whether the status after this stop is computed from a fresh list (as for any other change).
       */
      public boolean relistsStatus() {
        return relistsStatus;
      }
    }

    public StopContainers {
      containers = List.copyOf(containers);
      Objects.requireNonNull(why, "why");
    }
  }

  /**
   * Kills one running container whose liveness or startup probe failed, with the probe's grace
   * period; the next pass restarts it per restart policy.
   */
  record StopContainer(
      RuntimeContainer container,
      String podIp,
      Duration grace,
      String reason,
      String killingMessage)
      implements RuntimeAction {}

  /**
   * Records the kubelet's {@code SandboxChanged} event: the pod's sandbox died and is re-created.
   */
  record ReportSandboxChanged() implements RuntimeAction {}

  /** Creates and starts the pod's sandbox; the containers after it join the new sandbox. */
  record CreateSandbox(int attempt) implements RuntimeAction {}

  /**
   * Pulls (per policy), creates and starts a new instance of a container, then runs its postStart
   * hook.
   */
  record StartContainer(String container, ContainerRole role, int attempt)
      implements RuntimeAction {}

  /** Starts an instance that was created but never started (an earlier pass stopped half-way). */
  record StartCreated(RuntimeContainer instance) implements RuntimeAction {}

  /**
   * Counts a restart of an exited container against its crash back-off (the kubelet's {@code
   * backOff.Next}); the start itself follows as {@link StartContainer} unless it is held.
   */
  record CountCrashRestart(String container, int exitCode, int restartCount)
      implements RuntimeAction {}

  /**
   * Nothing more can be done for now: look again after {@code remaining}; {@code waiting} is what
   * the containers show meanwhile (by container name).
   */
  record WaitBackoff(Duration remaining, String reason, Map<String, ContainerWaiting> waiting)
      implements RuntimeAction {
    public WaitBackoff {
      Objects.requireNonNull(remaining, "remaining");
      Objects.requireNonNull(reason, "reason");
      waiting = Map.copyOf(waiting);
    }
  }

  /** Records the kubelet's {@code BackOff} event for a container in CrashLoopBackOff. */
  record ReportBackOff(ContainerRole role, String container) implements RuntimeAction {}

  /** Removes dead instances (see {@link DeadInstances}). */
  record RemoveDead(List<String> containerIds) implements RuntimeAction {
    public RemoveDead {
      containerIds = List.copyOf(containerIds);
    }
  }
}
