package io.staticlet.core.reconcile;

import io.staticlet.core.health.LoopHealth;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.queue.QueueWorkers;
import io.staticlet.core.queue.WorkQueue;
import io.staticlet.core.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs the reconcile loop: worker threads take pod keys from the queue, reconcile them and turn the
 * outcome into a delayed re-add. {@link #processNext()} is the loop body, callable without threads
 * so tests can step it.
 *
 * <p>{@link #start} and {@link #close} are called by the wiring thread; the worker threads it
 * starts block on the queue and, through the reconciler, on the engine.
 */
public final class PodWorkers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PodWorkers.class);

  private final WorkQueue<PodKey> queue;
  private final Reconciler reconciler;
  private final Ticker ticker;
  private final ReconcilerSettings settings;
  private final QueueWorkers<PodKey> workers;
  private final SyncObserver observer;

  /** Hears the outcome and duration of every pass (metrics). Must not block. */
  @FunctionalInterface
  public interface SyncObserver {
    void passed(PodKey key, SyncOutcome outcome, Duration took);

    /** This observer, then {@code next}. */
    default SyncObserver andThen(SyncObserver next) {
      return (key, outcome, took) -> {
        passed(key, outcome, took);
        next.passed(key, outcome, took);
      };
    }
  }

  /**
   * @param observer hears every pass (metrics, the start-up's first passes); must not block
   */
  public PodWorkers(
      WorkQueue<PodKey> queue,
      Reconciler reconciler,
      Clock clock,
      ReconcilerSettings settings,
      SyncObserver observer) {
    this.queue = queue;
    this.observer = observer;
    this.reconciler = reconciler;
    this.ticker = Ticker.of(clock);
    this.settings = settings;
    this.workers = new QueueWorkers<>(queue, this::process);
  }

  public void start(ThreadFactory threadFactory) {
    workers.start(settings.workers(), threadFactory);
  }

  /** Processes one due key if there is one; returns false when nothing was due. */
  public boolean processNext() {
    return workers.processNext();
  }

  private void process(PodKey key) {
    MDC.put("pod", key.toString());
    long started =
        ticker.nanos(); // a duration: monotonic, a wall-clock step must not make it negative
    try {
      SyncOutcome outcome;
      try {
        outcome = reconciler.reconcile(key);
      } catch (RuntimeException e) {
        log.warn(
            "pod sync failed, will retry pod={} in={}s", key, settings.retryDelay().toSeconds(), e);
        outcome = new SyncOutcome.RetryAfter(settings.retryDelay(), String.valueOf(e.getMessage()));
      }
      apply(key, outcome);
      observer.passed(key, outcome, Duration.ofNanos(ticker.nanos() - started));
    } finally {
      MDC.remove("pod");
      MDC.remove("file");
    }
  }

  private void apply(PodKey key, SyncOutcome outcome) {
    if (outcome instanceof SyncOutcome.Converged done) {
      queue.addAfter(key, done.resyncAfter());
    } else if (outcome instanceof SyncOutcome.RetryAfter retry) {
      queue.addAfter(key, retry.delay());
    } else if (outcome instanceof SyncOutcome.Waiting wait) {
      queue.addAfter(key, wait.retryIn());
    }
  }

  /** Tells {@code health} when a worker is stuck on one pod for longer than {@code max} or died. */
  public void reportTo(LoopHealth health, Duration max) {
    health.workers("reconcile", workers, max);
  }

  /** True while worker threads are alive (or none were started). */
  public boolean alive() {
    return workers.alive();
  }

  @Override
  public void close() {
    workers.close();
  }
}
