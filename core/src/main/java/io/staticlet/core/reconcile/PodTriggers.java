package io.staticlet.core.reconcile;

import io.staticlet.core.manifest.ManifestListener;
import io.staticlet.core.manifest.ManifestSnapshot;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.queue.WorkQueue;
import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.runtime.RuntimeEvent;
import io.staticlet.core.time.Scheduler;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that wakes the reconcile loop, in one place: manifest listings, engine events, and the
 * sweep for containers of pods nobody wants any more. Each only computes keys and enqueues. The
 * listing's errors and warnings stay in {@link DesiredPods} with the snapshot ({@code /pods} reads
 * them there); pod statuses are the reconciler's alone.
 */
public final class PodTriggers implements ManifestListener, Consumer<RuntimeEvent> {
  private static final Logger log = LoggerFactory.getLogger(PodTriggers.class);

  private final DesiredPods desired;
  private final WorkQueue<PodKey> queue;
  private final ContainerRuntime runtime;
  private final Scheduler scheduler;
  private final StartupListing startupListing;

  /** How long after an engine event the pod is looked at once more. */
  static final Duration SETTLE = Duration.ofSeconds(1);

  public PodTriggers(
      DesiredPods desired, WorkQueue<PodKey> queue, ContainerRuntime runtime, Scheduler scheduler) {
    this(desired, queue, runtime, scheduler, null);
  }

  /** Engine events also tell {@code startupListing} which pods changed since it was taken. */
  public PodTriggers(
      DesiredPods desired,
      WorkQueue<PodKey> queue,
      ContainerRuntime runtime,
      Scheduler scheduler,
      StartupListing startupListing) {
    this.desired = desired;
    this.queue = queue;
    this.runtime = runtime;
    this.scheduler = scheduler;
    this.startupListing = startupListing;
  }

  @Override
  public void onSnapshot(ManifestSnapshot snapshot) {
    Set<PodKey> changed = desired.replace(snapshot);
    for (PodKey key : changed) {
      log.info("manifest changed pod={} present={}", key, snapshot.pods().containsKey(key));
      queue.add(key);
    }
  }

  /**
   * Engine event: the pod of the container changed. Docker emits {@code die} before its container
   * listing shows the container exited, so a pass woken by the event can still see it running; the
   * pod is looked at once more a second later (the kubelet's PLEG relists every second for the same
   * reason).
   */
  @Override
  public void accept(RuntimeEvent event) {
    if (startupListing != null) {
      startupListing.changed(event.pod());
    }
    queue.add(event.pod());
    scheduler.schedule(SETTLE, () -> queue.add(event.pod()));
  }

  /**
   * Enqueues every pod that has containers but no manifest (orphans), so they are stopped and
   * removed. Runs at start-up, after the first listing, and periodically.
   */
  public void sweepOrphans() {
    if (!desired.listedOnce()) {
      return;
    }
    for (PodKey pod : runtime.managedPods()) {
      if (desired.get(pod).isEmpty()) {
        queue.add(pod);
      }
    }
  }

  /** Enqueues every desired pod (start-up, and after the engine came back). */
  public void enqueueAllDesired() {
    desired.all().keySet().forEach(queue::add);
  }
}
