package io.staticlet.core.reconcile;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.runtime.RuntimeUnavailableException;
import io.staticlet.core.status.PodStatusComputer;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.status.PodStatusValue;
import io.staticlet.core.status.PodView;
import io.staticlet.core.status.QosClass;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Converges one static pod per call: lists the pod's containers from the engine (by label, never
 * from memory; a pod's first pass after start-up reads them from the one {@link StartupListing}),
 * lets {@link PodPlanner} decide, lets {@link PlanExecutor} act, then computes and records the
 * status. Level triggered and idempotent: it never trusts the event that woke it. An adopted pod
 * whose containers already match costs one list and a status computation, nothing else.
 *
 * <p>Called on a reconcile worker thread ({@link PodWorkers}); one pass per pod at a time (the work
 * queue guarantees it), different pods in parallel. Blocks on the engine, hooks and stops.
 */
public final class Reconciler {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  /**
   * After a pass that changed something: engine events report what comes next, this is the safety
   * net.
   */
  private static final Duration AFTER_CHANGE = Duration.ofSeconds(1);

  private final DesiredPods desired;
  private final ContainerRuntime runtime;
  private final PodStatusStore statusStore;
  private final ReconcilerCollaborators collaborators;
  private final PlanInputReader inputs;
  private final PodPlanner planner = new PodPlanner();
  private final PlanExecutor executor;
  private final PodStatusComputer statusComputer = new PodStatusComputer();

  private final StartupListing startupListing;

  public Reconciler(ReconcilerCollaborators collaborators) {
    this(collaborators, new StartupListing(collaborators.clock()));
  }

  /** Each pod's first pass reads its containers from {@code startupListing} when it has them. */
  public Reconciler(ReconcilerCollaborators collaborators, StartupListing startupListing) {
    ReconcilerCollaborators c = collaborators;
    this.collaborators = c;
    this.startupListing = startupListing;
    this.desired = c.desired();
    this.runtime = c.runtime();
    this.statusStore = c.statusStore();
    this.inputs = new PlanInputReader(c.crashBackoff(), c.startFailures(), c.health());
    this.executor = new PlanExecutor(c);
  }

  public SyncOutcome reconcile(PodKey key) {
    try {
      return sync(key);
    } catch (RuntimeUnavailableException e) {
      Duration retry = collaborators.settings().retryDelay();
      log.warn(
          "container engine unavailable, will retry pod={} in={}s error={}",
          key,
          retry.toSeconds(),
          e.getMessage());
      showNewIncarnation(key, e.getMessage());
      return new SyncOutcome.RetryAfter(retry, e.getMessage());
    }
  }

  private SyncOutcome sync(PodKey key) {
    MDC.remove("file");
    Optional<StaticPod> wanted = desired.get(key);
    List<RuntimeContainer> observed =
        startupListing.take(key).orElseGet(() -> runtime.listManaged(key));
    wanted.ifPresent(pod -> MDC.put("file", pod.source().toString()));
    PlanInput input = inputs.read(key, wanted, desired.listedOnce(), observed, runtime.hostIp());
    PodActions plan = planner.plan(input);
    switch (plan.intent()) {
      case WAIT_FOR_MANIFESTS:
        return new SyncOutcome.Converged(collaborators.settings().syncFrequency());
      case REMOVE:
        executor.execute(key, null, plan);
        if (!plan.isEmpty()) {
          log.info("pod removed pod={}", key);
        }
        writeStatus(key, null, null);
        return new SyncOutcome.Gone();
      default:
        return converge(input, wanted.get(), plan);
    }
  }

  private SyncOutcome converge(PlanInput input, StaticPod pod, PodActions plan) {
    PassReport report = executor.execute(pod.key(), pod, plan);
    List<RuntimeContainer> after =
        report.changed()
            ? runtime.listManaged(pod.key())
            : input.observed().stream().filter(c -> c.podUid().equals(pod.uid())).toList();
    PodStatusValue previous =
        statusStore
            .get(pod.key())
            .filter(v -> v.pod().uid().equals(pod.uid()))
            .map(PodView::status)
            .orElse(null);
    writeStatus(
        pod.key(),
        pod,
        statusComputer.compute(
            new PodStatusComputer.Input(
                pod,
                after,
                report.waiting(),
                previous,
                input.hostIp(),
                collaborators.clock().instant(),
                collaborators.health())));
    if (report.retry().isPresent()) {
      return new SyncOutcome.Waiting(report.retry().get().in(), report.retry().get().reason());
    }
    return new SyncOutcome.Converged(
        report.changed() ? AFTER_CHANGE : collaborators.settings().syncFrequency());
  }

  /**
   * While the engine does not answer, a new or edited manifest still shows in {@code /pods} (and
   * its mirror): Pending, with the engine's problem as the message, until a pass gets through.
   */
  private void showNewIncarnation(PodKey key, String problem) {
    desired
        .get(key)
        .filter(pod -> statusStore.get(key).map(v -> !v.pod().uid().equals(pod.uid())).orElse(true))
        .ifPresent(
            pod ->
                writeStatus(
                    key,
                    pod,
                    PodStatusValue.pending(
                        "the container engine does not answer: " + problem,
                        QosClass.of(pod.pod().getSpec()))));
  }

  /**
   * The one place this class writes the status store: {@code pod} null forgets the pod's status.
   */
  private void writeStatus(PodKey key, StaticPod pod, PodStatusValue status) {
    if (pod == null) {
      statusStore.remove(key);
    } else {
      statusStore.update(pod, status);
    }
  }
}
