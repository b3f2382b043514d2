package io.staticlet.core.reconcile;

import io.fabric8.kubernetes.api.model.Container;
import io.staticlet.core.pod.RestartPolicy;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.reconcile.PodActions.Intent;
import io.staticlet.core.reconcile.RuntimeAction.CreateSandbox;
import io.staticlet.core.reconcile.RuntimeAction.KillPod;
import io.staticlet.core.reconcile.RuntimeAction.RemoveDead;
import io.staticlet.core.reconcile.RuntimeAction.ReportSandboxChanged;
import io.staticlet.core.reconcile.RuntimeAction.StopContainers;
import io.staticlet.core.reconcile.RuntimeAction.StopContainers.Why;
import io.staticlet.core.reconcile.RuntimeAction.WaitBackoff;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.status.ContainerWaiting;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides what one pass does to one pod, from what the engine shows and what the back-offs say (the
 * kubelet's {@code computePodActions}, docs/kubelet.md §4): nothing of an older UID may run
 * (DECISIONS.md 9); a missing or dead sandbox is re-created (attempt + 1) with every container in
 * it, except for a {@code Never} pod that already ran or a pod that completed; then {@link
 * ContainerPlanner} plans the containers; a completed pod's sandbox is stopped; {@link
 * DeadInstances} says what to remove.
 *
 * <p>Pure: no I/O, no engine, no clock, no shared state; the same input gives the same plan. Called
 * on a reconcile worker thread; never blocks. Stateless, so one instance serves every thread.
 */
public final class PodPlanner {
  /**
   * The sandbox's name in back-off keys and start holds (the kubelet's container name for
   * sandboxes).
   */
  public static final String SANDBOX = "POD";

  public PodActions plan(PlanInput in) {
    if (in.desired().isEmpty()) {
      if (!in.manifestsListed()) {
        return PodActions.waitForManifests();
      }
      List<RuntimeAction> kill =
          in.observed().isEmpty()
              ? List.of()
              : List.of(new KillPod(in.observed(), "manifest removed"));
      return new PodActions(Intent.REMOVE, Optional.empty(), kill);
    }
    StaticPod pod = in.pod();
    List<RuntimeAction> out = new ArrayList<>();
    List<RuntimeContainer> stale =
        in.observed().stream().filter(c -> !c.podUid().equals(pod.uid())).toList();
    if (!stale.isEmpty()) {
      out.add(new KillPod(stale, "manifest changed"));
    }
    PodInstances mine =
        new PodInstances(in.observed().stream().filter(c -> c.podUid().equals(pod.uid())).toList());
    Optional<RuntimeContainer> sandbox = mine.sandbox();
    if (sandbox.isPresent() && sandbox.get().isRunning()) {
      planInRunningSandbox(in, mine, sandbox.get(), out);
      return new PodActions(Intent.RUN, sandbox, out);
    }
    planWithoutRunningSandbox(in, mine, sandbox, out);
    return new PodActions(Intent.RUN, Optional.empty(), out);
  }

  private static void planInRunningSandbox(
      PlanInput in, PodInstances mine, RuntimeContainer sandbox, List<RuntimeAction> out) {
    List<RuntimeContainer> strays =
        mine.runningContainers().stream().filter(c -> !c.sandboxId().equals(sandbox.id())).toList();
    if (!strays.isEmpty()) {
      out.add(new StopContainers(strays, Why.SANDBOX_CHANGED));
    }
    new ContainerPlanner(in, mine, Optional.of(sandbox), out).plan();
    if (PodCompletion.finished(in.pod(), mine)) {
      out.add(new StopContainers(List.of(sandbox), Why.POD_COMPLETED));
    }
    collectGarbage(mine, sandbox.id(), Set.of(), out);
  }

  private static void planWithoutRunningSandbox(
      PlanInput in, PodInstances mine, Optional<RuntimeContainer> dead, List<RuntimeAction> out) {
    StaticPod pod = in.pod();
    if (dead.isPresent()) {
      boolean neverAndRan =
          pod.restartPolicy() == RestartPolicy.NEVER && mine.anyContainerCreated();
      if (neverAndRan || PodCompletion.finished(pod, mine)) {
        // the kubelet does not re-create the sandbox of a pod that is done
        collectGarbage(mine, dead.get().id(), Set.of(), out);
        return;
      }
    }
    List<RuntimeContainer> running = mine.runningContainers();
    if (!running.isEmpty()) {
      out.add(new StopContainers(running, Why.SANDBOX_GONE));
    }
    if (dead.isPresent()) {
      out.add(new ReportSandboxChanged());
    }
    PlanInput.StartHold hold = in.startHolds().get(SANDBOX);
    if (hold != null) {
      out.add(
          new WaitBackoff(
              hold.remaining(), "sandbox back-off", everyContainer(pod, hold.waiting().message())));
      return;
    }
    out.add(new CreateSandbox(dead.map(s -> s.attempt() + 1).orElse(0)));
    // every container that may run again starts in the new sandbox (under OnFailure one that
    // succeeded does not: the kubelet's containersToStart); the stopped ones are dead by then.
    // Completion is not judged in this pass: the instances it would go by are those of the old
    // sandbox
    new ContainerPlanner(in, mine, Optional.empty(), out).plan();
    Set<String> stopping = running.stream().map(RuntimeContainer::id).collect(Collectors.toSet());
    collectGarbage(mine, "", stopping, out);
  }

  /** Every container waits on the sandbox: show why. */
  static Map<String, ContainerWaiting> everyContainer(StaticPod pod, String message) {
    Map<String, ContainerWaiting> waiting = new HashMap<>();
    List<Container> all = new ArrayList<>(pod.pod().getSpec().getContainers());
    all.addAll(PodCompletion.initContainers(pod));
    for (Container c : all) {
      waiting.put(c.getName(), new ContainerWaiting("ContainerCreating", message));
    }
    return waiting;
  }

  private static void collectGarbage(
      PodInstances mine, String currentSandboxId, Set<String> stopping, List<RuntimeAction> out) {
    DeadInstances.Verdict verdict = DeadInstances.collect(mine.all(), currentSandboxId, stopping);
    if (!verdict.remove().isEmpty()) {
      out.add(new RemoveDead(verdict.removeIds()));
    }
  }
}
