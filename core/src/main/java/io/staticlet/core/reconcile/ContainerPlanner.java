package io.staticlet.core.reconcile;

import io.fabric8.kubernetes.api.model.Container;
import io.staticlet.core.pod.RestartPolicy;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.reconcile.RuntimeAction.CountCrashRestart;
import io.staticlet.core.reconcile.RuntimeAction.ReportBackOff;
import io.staticlet.core.reconcile.RuntimeAction.StartContainer;
import io.staticlet.core.reconcile.RuntimeAction.StartCreated;
import io.staticlet.core.reconcile.RuntimeAction.StopContainer;
import io.staticlet.core.reconcile.RuntimeAction.WaitBackoff;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.status.ContainerWaiting;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Plans the init and app containers of one incarnation in one sandbox (the container half of the
 * kubelet's {@code computePodActions}): init containers one at a time in order, app containers once
 * all of them succeeded; a missing instance is started (unless one in an earlier sandbox ended for
 * good under its restart policy), a created one started, an exited one restarted per restart policy
 * behind its crash back-off, a running one killed when a probe says so. Pure; one instance per
 * planning call, on the calling thread.
 */
final class ContainerPlanner {
  private final StaticPod pod;
  private final PlanInput in;
  private final PodInstances instances;

  /**
   * The sandbox the containers are in; empty for a sandbox this pass creates (nothing is in it
   * yet).
   */
  private final Optional<RuntimeContainer> sandbox;

  private final List<RuntimeAction> out;

  ContainerPlanner(
      PlanInput in,
      PodInstances instances,
      Optional<RuntimeContainer> sandbox,
      List<RuntimeAction> out) {
    this.pod = in.pod();
    this.in = in;
    this.instances = instances;
    this.sandbox = sandbox;
    this.out = out;
  }

  void plan() {
    if (planInitContainers()) {
      planAppContainers();
    }
  }

  /** Returns true when every init container has completed successfully. */
  private boolean planInitContainers() {
    for (Container spec : PodCompletion.initContainers(pod)) {
      Optional<RuntimeContainer> found = latestInSandbox(ContainerRole.INIT, spec.getName());
      if (found.isEmpty()) {
        start(
            spec.getName(),
            ContainerRole.INIT,
            instances.nextAttempt(ContainerRole.INIT, spec.getName()));
        return false;
      }
      RuntimeContainer inst = found.get();
      if (inst.isRunning()) {
        return false;
      }
      if (inst.hasTerminated() && inst.effectiveExitCode() == 0) {
        continue;
      }
      if (!inst.hasTerminated()) {
        out.add(new StartCreated(inst));
      } else if (pod.restartPolicy() != RestartPolicy.NEVER) {
        restart(inst);
      }
      return false;
    }
    return true;
  }

  private void planAppContainers() {
    for (Container spec : pod.pod().getSpec().getContainers()) {
      Optional<RuntimeContainer> found = latestInSandbox(ContainerRole.APP, spec.getName());
      if (found.isEmpty()) {
        if (ranToAnEnd(spec.getName())) {
          continue;
        }
        start(
            spec.getName(),
            ContainerRole.APP,
            instances.nextAttempt(ContainerRole.APP, spec.getName()));
        continue;
      }
      RuntimeContainer inst = found.get();
      if (inst.isRunning()) {
        killIfUnhealthy(inst);
      } else if (!inst.hasTerminated()) {
        out.add(new StartCreated(inst));
      } else if (pod.restartPolicy().restartsAfter(inst.effectiveExitCode())) {
        restart(inst);
      }
    }
  }

  /**
   * Whether the container's latest instance, in an earlier sandbox, ended for good: it does not run
   * again here. In a sandbox this pass creates, that is one that exited 0 under {@code OnFailure}
   * (the kubelet's {@code containersToStart}: a {@code Never} pod only gets a new sandbox before
   * its containers ran, and then starts them all); in a running sandbox, one whose exit its restart
   * policy does not restart (the kubelet's {@code ShouldContainerBeRestarted}, which goes by the
   * latest status in any sandbox). docs/kubelet.md §4.1.
   */
  private boolean ranToAnEnd(String name) {
    RestartPolicy policy = pod.restartPolicy();
    if (sandbox.isEmpty() && policy != RestartPolicy.ON_FAILURE) {
      return false;
    }
    return instances
        .latest(ContainerRole.APP, name)
        .filter(RuntimeContainer::hasTerminated)
        .filter(c -> !policy.restartsAfter(c.effectiveExitCode()))
        .isPresent();
  }

  private Optional<RuntimeContainer> latestInSandbox(ContainerRole role, String name) {
    return sandbox.flatMap(s -> instances.latestIn(s.id(), role, name));
  }

  /** A new instance, unless creating it is held after a failed pull or a refused create. */
  private void start(String name, ContainerRole role, int attempt) {
    PlanInput.StartHold hold = in.startHolds().get(name);
    if (hold != null) {
      out.add(new WaitBackoff(hold.remaining(), "start back-off", Map.of(name, hold.waiting())));
      return;
    }
    out.add(new StartContainer(name, role, attempt));
  }

  /** An exited instance again, unless its crash back-off holds it (CrashLoopBackOff). */
  private void restart(RuntimeContainer inst) {
    PlanInput.CrashLoop crash = in.crashLoops().get(inst.name());
    if (crash != null) {
      String message =
          "back-off "
              + crash.delay().toSeconds()
              + "s restarting failed container="
              + inst.name()
              + " pod="
              + pod.key().name()
              + "_"
              + pod.key().namespace()
              + "("
              + pod.uid()
              + ")";
      out.add(
          new WaitBackoff(
              crash.remaining(),
              "CrashLoopBackOff",
              Map.of(inst.name(), new ContainerWaiting("CrashLoopBackOff", message))));
      out.add(new ReportBackOff(inst.role(), inst.name()));
      return;
    }
    out.add(new CountCrashRestart(inst.name(), inst.exitCode(), inst.attempt() + 1));
    start(
        inst.name(),
        inst.role(),
        Math.max(inst.attempt() + 1, instances.nextAttempt(inst.role(), inst.name())));
  }

  /**
   * Kills a running container whose liveness or startup probe failed; the next pass restarts it per
   * policy.
   */
  private void killIfUnhealthy(RuntimeContainer inst) {
    PlanInput.Unhealthy verdict = in.unhealthy().get(inst.id());
    if (verdict == null) {
      return;
    }
    String reason = verdict.reason();
    String message =
        reason.isEmpty() ? reason : Character.toUpperCase(reason.charAt(0)) + reason.substring(1);
    out.add(new StopContainer(inst, podIp(), verdict.grace(), reason, message));
  }

  private String podIp() {
    String ip = sandbox.map(RuntimeContainer::ip).orElse("");
    return pod.hostNetwork() || ip.isEmpty() ? in.hostIp() : ip;
  }
}
