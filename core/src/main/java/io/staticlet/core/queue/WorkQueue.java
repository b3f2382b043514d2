package io.staticlet.core.queue;

import io.staticlet.core.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A keyed work queue with the controller semantics of client-go's workqueue:
 *
 * <ol>
 *   <li>dedup: a key is queued at most once;
 *   <li>single flight: a key being processed is never handed out again until {@link #done};
 *   <li>dirty while in flight: an {@link #add} during processing re-queues the key once at {@link
 *       #done};
 *   <li>delayed adds: {@link #addAfter} for back-off expiry and resync; the earliest deadline wins;
 *   <li>retries: {@link #retryAfter} delays a key that failed and holds it until then, so an {@link
 *       #add} meanwhile does not bring it forward (client-go's {@code AddRateLimited}); {@link
 *       #forget} drops the hold (client-go's {@code Forget}).
 * </ol>
 *
 * Delays run on the monotonic ticker that goes with the injected clock ({@link Ticker#of}: a
 * wall-clock step moves no deadline); {@link #poll} never blocks so tests step it with a manual
 * clock.
 *
 * <p>Concurrency contract: thread-safe, every method holds the queue's monitor for a few map
 * operations only. {@link #add} and {@link #addAfter} never block and may be called from any thread
 * (informer callbacks, store listeners, scheduler tasks, the workers themselves); only {@link
 * #take} blocks, on the workers of the one loop that owns the queue (its {@code QueueWorkers}),
 * until a key is due or {@link #shutDown}. A key taken must be handed back with {@link #done} by
 * the thread that took it. The queue holds keys, never the work: whoever handles a key reads the
 * state it needs fresh.
 */
public final class WorkQueue<K> {
  private final Ticker ticker;
  private final Set<K> ready = new LinkedHashSet<>(); // guarded by this
  private final Set<K> inFlight = new HashSet<>(); // guarded by this
  private final Set<K> dirty = new HashSet<>(); // guarded by this
  private final Map<K, Long> delayed = new HashMap<>(); // guarded by this; due tick
  private final Map<K, Long> held = new HashMap<>(); // guarded by this; retry due tick, not before
  private boolean shutDown; // guarded by this

  public WorkQueue(Clock clock) {
    this.ticker = Ticker.of(clock);
  }

  /**
   * Queues {@code key} now (or marks it dirty if it is being processed). A key held for a retry
   * ({@link #retryAfter}) stays due at its retry time.
   */
  public synchronized void add(K key) {
    if (isHeld(key)) {
      if (inFlight.contains(key)) {
        dirty.add(key);
      } else {
        delayed.putIfAbsent(key, held.get(key));
      }
      return;
    }
    delayed.remove(key);
    if (inFlight.contains(key)) {
      dirty.add(key);
      return;
    }
    if (ready.add(key)) {
      notifyAll();
    }
  }

  /** Queues {@code key} after {@code delay}, unless it is already due earlier. */
  public synchronized void addAfter(K key, Duration delay) {
    if (delay.isZero() || delay.isNegative() || isHeld(key)) {
      add(key);
      return;
    }
    if (ready.contains(key) || dirty.contains(key)) {
      return;
    }
    long due = ticker.nanos() + delay.toNanos();
    Long current = delayed.get(key);
    if (current == null || due - current < 0) {
      delayed.put(key, due);
      notifyAll();
    }
  }

  /**
   * Queues {@code key} after {@code delay} and holds it until then: {@link #add} and {@link
   * #addAfter} do not bring it forward (a failed key is retried after its back-off, whatever wakes
   * it meanwhile). A later call replaces the hold; {@link #forget} drops it.
   */
  public synchronized void retryAfter(K key, Duration delay) {
    held.remove(key);
    if (delay.isZero() || delay.isNegative()) {
      add(key);
      return;
    }
    long due = ticker.nanos() + delay.toNanos();
    held.put(key, due);
    ready.remove(key);
    delayed.put(key, due);
    notifyAll();
  }

  /**
   * Drops the retry hold of {@code key}, if any; a pending retry stays queued (call {@link #add} to
   * run it now).
   */
  public synchronized void forget(K key) {
    held.remove(key);
  }

  /** Next due key without blocking; moves due delayed keys to ready first. */
  public synchronized Optional<K> poll() {
    promoteDue();
    var it = ready.iterator();
    while (it.hasNext()) {
      K key = it.next();
      it.remove();
      inFlight.add(key);
      return Optional.of(key);
    }
    return Optional.empty();
  }

  /**
   * Blocks until a key is due, waiting at most until the next delayed deadline (measured with the
   * injected clock) or an add. Returns empty after {@link #shutDown}.
   */
  public synchronized Optional<K> take() throws InterruptedException {
    while (!shutDown) {
      Optional<K> next = poll();
      if (next.isPresent()) {
        return next;
      }
      long waitMillis = 1000;
      Optional<Duration> nextDue = untilNextDeadline();
      if (nextDue.isPresent()) {
        waitMillis = Math.max(1, nextDue.get().toMillis());
        waitMillis = Math.min(waitMillis, 1000);
      }
      TimeUnit.MILLISECONDS.timedWait(this, waitMillis);
    }
    return Optional.empty();
  }

  /** Marks {@code key} processed; re-queues it if it was added meanwhile. */
  public synchronized void done(K key) {
    inFlight.remove(key);
    if (dirty.remove(key)) {
      Long hold = held.get(key);
      if (hold != null && isHeld(key)) {
        delayed.put(key, hold);
        notifyAll();
        return;
      }
      delayed.remove(key);
      ready.add(key);
      notifyAll();
    }
  }

  /** True while {@code key} waits for its retry; an expired hold is dropped. */
  private boolean isHeld(K key) {
    Long hold = held.get(key);
    if (hold == null) {
      return false;
    }
    if (hold - ticker.nanos() > 0) {
      return true;
    }
    held.remove(key);
    return false;
  }

  /** Keys waiting (ready or delayed) plus in flight: the work-queue depth. */
  public synchronized int depth() {
    return ready.size() + delayed.size() + inFlight.size();
  }

  /** How long until the earliest delayed key becomes due, if any. */
  public synchronized Optional<Duration> untilNextDeadline() {
    long now = ticker.nanos();
    return delayed.values().stream()
        .map(due -> due - now)
        .min(Long::compare)
        .map(d -> Duration.ofNanos(Math.max(0, d)));
  }

  /** Wakes every blocked {@link #take} and makes them return empty. */
  public synchronized void shutDown() {
    shutDown = true;
    notifyAll();
  }

  private void promoteDue() {
    if (delayed.isEmpty()) {
      return;
    }
    long now = ticker.nanos();
    var it = delayed.entrySet().iterator();
    while (it.hasNext()) {
      var entry = it.next();
      if (entry.getValue() - now <= 0) {
        it.remove();
        held.remove(entry.getKey());
        if (inFlight.contains(entry.getKey())) {
          dirty.add(entry.getKey());
        } else {
          ready.add(entry.getKey());
        }
      }
    }
  }
}
