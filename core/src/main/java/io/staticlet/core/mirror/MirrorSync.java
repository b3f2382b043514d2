package io.staticlet.core.mirror;

import io.staticlet.core.backoff.RestartBackoff;
import io.staticlet.core.health.LoopHealth;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.queue.QueueWorkers;
import io.staticlet.core.queue.WorkQueue;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.status.PodView;
import io.staticlet.core.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The mirror loop: its own work queue of pod keys, fed by status-store changes, by the publisher's
 * watch (mirror changed or gone, node registered, API back) and by a periodic full resync; worker
 * threads run {@link MirrorConverger} per key. Failures back off per key (refusals up to 30 s,
 * unreachable server up to 2 s by default) through the queue's {@link WorkQueue#retryAfter}: a key
 * that failed is not looked at again before its back-off ends, whatever wakes it. The pod reconcile
 * loop never waits on any of this. {@link #processNext()} is the loop body, callable without
 * threads so tests can step it.
 *
 * <p>Owns its state: the mirror error of each pod ({@link #mirrorError}: why the API server refused
 * the mirror or why there is none yet, shown on {@code /pods}) and the failures of the last passes
 * ({@link #failures}). It only reads the {@link PodStatusStore}; the reconciler is its one writer.
 * Thread-safe: any thread may read; the workers write.
 */
public final class MirrorSync implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MirrorSync.class);

  private final PodStatusStore store;
  private final MirrorPublisher publisher;
  private final Scheduler scheduler;
  private final MirrorSettings settings;
  private final WorkQueue<PodKey> queue;
  private final MirrorConverger converger;
  private final RestartBackoff<PodKey> rejectedBackoff;
  private final RestartBackoff<PodKey> transientBackoff;
  private final Map<PodKey, String> failing = new ConcurrentHashMap<>();
  private final Map<PodKey, String> mirrorErrors = new ConcurrentHashMap<>();
  private final QueueWorkers<PodKey> workers;
  private final List<AutoCloseable> subscriptions = new ArrayList<>();
  private volatile Scheduler.Cancellable resync;

  public MirrorSync(
      PodStatusStore store,
      MirrorPublisher publisher,
      LocalPods localPods,
      Clock clock,
      Scheduler scheduler,
      MirrorSettings settings) {
    this.store = store;
    this.publisher = publisher;
    this.scheduler = scheduler;
    this.settings = settings;
    this.queue = new WorkQueue<>(clock);
    this.converger = new MirrorConverger(store, publisher, localPods);
    this.rejectedBackoff =
        new RestartBackoff<>(clock, settings.backoffInitial(), settings.rejectedBackoffMax());
    this.transientBackoff =
        new RestartBackoff<>(clock, settings.backoffInitial(), settings.unavailableBackoffMax());
    this.workers = new QueueWorkers<>(queue, this::process);
  }

  /**
   * Subscribes to the status store and the publisher, schedules the periodic resync and queues
   * every known key.
   */
  public synchronized void start() {
    subscriptions.add(store.addListener(queue::add));
    subscriptions.add(
        publisher.watch(
            new MirrorListener() {
              @Override
              public void mirrorChanged(PodKey key) {
                queue.add(key);
              }

              @Override
              public void resyncAll(String reason) {
                MirrorSync.this.resyncAll(reason);
              }
            }));
    resync = scheduler.scheduleAtFixedRate(settings.resyncInterval(), this::enqueueAll);
    enqueueAll();
  }

  /** Starts {@link MirrorSettings#workers()} threads that run the loop until {@link #close()}. */
  public synchronized void startWorkers(ThreadFactory threadFactory) {
    workers.start(settings.workers(), threadFactory);
  }

  /**
   * A mirror worker stuck on one pod for longer than {@code max}, or dead, for {@code /healthz}.
   */
  public Optional<String> stuck(Duration max) {
    return LoopHealth.stuck(workers, max);
  }

  /** Looks at every key again now, forgetting back-off (node registered, API server back). */
  public void resyncAll(String reason) {
    log.info("mirror resync reason={}", reason);
    for (PodKey key : knownKeys()) {
      rejectedBackoff.forget(key);
      transientBackoff.forget(key);
      queue.forget(key);
      queue.add(key);
    }
  }

  /** Processes one due key if there is one; returns false when nothing was due. */
  public boolean processNext() {
    return workers.processNext();
  }

  /** Keys queued, delayed or in flight. */
  public int queueDepth() {
    return queue.depth();
  }

  /** Keys whose last mirror pass failed, with the reason. */
  public Map<PodKey, String> failures() {
    return Map.copyOf(failing);
  }

  /**
   * Why the mirror of {@code key} could not be written, or why there is none yet ("" when it is
   * fine). Read-only view for {@code /pods}.
   */
  public String mirrorError(PodKey key) {
    return mirrorErrors.getOrDefault(key, "");
  }

  private void process(PodKey key) {
    MDC.put("pod", key.toString());
    try {
      MirrorOutcome outcome = converger.converge(key);
      log.trace("mirror pass pod={} outcome={}", key, outcome);
      if (outcome instanceof MirrorOutcome.Retry retry) {
        retryLater(key, transientBackoff, retry.reason(), false);
      } else {
        succeeded(key, outcome instanceof MirrorOutcome.Waiting waiting ? waiting.why() : "");
      }
    } catch (MirrorRejectedException e) {
      mirrorErrors.put(key, e.reason());
      retryLater(key, rejectedBackoff, "refused: " + e.reason(), true);
    } catch (MirrorApiUnavailableException | MirrorChangedException e) {
      retryLater(key, transientBackoff, String.valueOf(e.getMessage()), true);
    } catch (RuntimeException e) {
      log.warn("mirror sync failed unexpectedly pod={}", key, e);
      retryLater(key, transientBackoff, String.valueOf(e), false);
    } finally {
      MDC.remove("pod");
    }
  }

  private void succeeded(PodKey key, String mirrorError) {
    rejectedBackoff.forget(key);
    transientBackoff.forget(key);
    if (failing.remove(key) != null) {
      log.info("mirror sync recovered pod={}", key);
    }
    if (mirrorError.isEmpty()) {
      mirrorErrors.remove(key);
    } else {
      mirrorErrors.put(key, mirrorError);
    }
  }

  private void retryLater(PodKey key, RestartBackoff<PodKey> backoff, String reason, boolean warn) {
    Duration delay = backoff.recordRetry(key);
    queue.retryAfter(key, delay);
    String before = failing.put(key, reason);
    if (Thread.currentThread().isInterrupted()) {
      return; // closing: an interrupted call is not worth a warning
    }
    if (warn && !reason.equals(before)) {
      log.warn(
          "mirror sync failed, will retry pod={} in={}ms reason={}", key, delay.toMillis(), reason);
    } else {
      log.debug(
          "mirror sync failed, will retry pod={} in={}ms reason={}", key, delay.toMillis(), reason);
    }
  }

  private void enqueueAll() {
    rejectedBackoff.gc();
    transientBackoff.gc();
    knownKeys().forEach(queue::add);
  }

  private Set<PodKey> knownKeys() {
    Set<PodKey> keys = new HashSet<>(publisher.listMirrors());
    for (PodView view : store.all()) {
      keys.add(view.key());
    }
    return keys;
  }

  @Override
  public void close() {
    close(Duration.ZERO);
  }

  /**
   * Stops the loop; a mirror write in flight is let finish for up to {@code grace} (see {@link
   * QueueWorkers#close(Duration)}).
   */
  public void close(Duration grace) {
    synchronized (this) {
      if (resync != null) {
        resync.cancel();
      }
      for (AutoCloseable s : subscriptions) {
        try {
          s.close();
        } catch (Exception e) {
          log.debug("closing mirror subscription failed", e);
        }
      }
      subscriptions.clear();
    }
    workers.close(grace);
  }
}
