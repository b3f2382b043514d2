package io.staticlet.core.backoff;

import io.staticlet.core.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The kubelet's per-key exponential back-off (client-go {@code flowcontrol.Backoff}) as used for
 * CrashLoopBackOff and ImagePullBackOff: the first failure is retried at once and starts a delay of
 * {@code initial}; each later failure doubles it up to {@code max}; an entry is forgotten after
 * {@code 2 × max} without a failure (10 minutes with the defaults). Thread-safe.
 *
 * <p>Runs on monotonic time (DECISIONS.md 24): a failure time given as a wall-clock instant (the
 * engine's {@code finishedAt}) is turned into a tick once, when first seen, so a later step of the
 * wall clock neither postpones nor hurries the retry; a failure that looks like it is in the future
 * (the clock was stepped back) counts as just now.
 */
public final class RestartBackoff<K> {
  private final Clock clock;
  private final Ticker ticker;
  private final Duration initial;
  private final Duration max;
  private final Map<K, Entry> entries = new HashMap<>(); // guarded by this

  private static final class Entry {
    final Duration delay;
    final long lastUpdate;
    Instant failedAt;
    long failedAtTick;

    Entry(Duration delay, long lastUpdate) {
      this.delay = delay;
      this.lastUpdate = lastUpdate;
    }
  }

  /** With the monotonic ticker that goes with {@code clock} ({@link Ticker#of}). */
  public RestartBackoff(Clock clock, Duration initial, Duration max) {
    this(clock, Ticker.of(clock), initial, max);
  }

  public RestartBackoff(Clock clock, Ticker ticker, Duration initial, Duration max) {
    this.clock = clock;
    this.ticker = ticker;
    this.initial = initial;
    this.max = max;
  }

  /** The kubelet's defaults: 10 s doubling to 300 s. */
  public static <K> RestartBackoff<K> kubeletDefaults(Clock clock) {
    return new RestartBackoff<>(clock, Duration.ofSeconds(10), Duration.ofMinutes(5));
  }

  /**
   * How long to wait before retrying a key whose last failure happened at {@code failedAt} (wall
   * clock, e.g. the engine's {@code finishedAt}): zero when it may be retried now. (kubelet {@code
   * IsInBackOffSince}.)
   */
  public synchronized Duration remaining(K key, Instant failedAt) {
    Entry entry = entries.get(key);
    long now = ticker.nanos();
    if (entry == null || expired(entry, now)) {
      return Duration.ZERO;
    }
    if (!failedAt.equals(entry.failedAt)) {
      long ago = Math.max(0, Duration.between(failedAt, clock.instant()).toNanos());
      entry.failedAt = failedAt;
      entry.failedAtTick = now - ago;
    }
    return left(entry, entry.failedAtTick, now);
  }

  /** As {@link #remaining(Object, Instant)} for a failure whose time was taken from the ticker. */
  public synchronized Duration remainingSinceTick(K key, long failedAtTick) {
    Entry entry = entries.get(key);
    long now = ticker.nanos();
    if (entry == null || expired(entry, now)) {
      return Duration.ZERO;
    }
    return left(entry, failedAtTick, now);
  }

  private static Duration left(Entry entry, long failedAtTick, long now) {
    long left = entry.delay.toNanos() - (now - failedAtTick);
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  /**
   * Records a retry happening now and returns the delay that will apply to the next failure.
   * (kubelet {@code Next}.)
   */
  public synchronized Duration recordRetry(K key) {
    long now = ticker.nanos();
    Entry entry = entries.get(key);
    Duration delay;
    if (entry == null || expired(entry, now)) {
      delay = initial;
    } else {
      delay = entry.delay.multipliedBy(2);
      if (delay.compareTo(max) > 0) {
        delay = max;
      }
    }
    entries.put(key, new Entry(delay, now));
    return delay;
  }

  /** The current delay of a key, zero if none. */
  public synchronized Duration currentDelay(K key) {
    Entry entry = entries.get(key);
    return entry == null || expired(entry, ticker.nanos()) ? Duration.ZERO : entry.delay;
  }

  public synchronized void forget(K key) {
    entries.remove(key);
  }

  /** Forgets every key that matches, e.g. all containers of a pod incarnation that is gone. */
  public synchronized void forgetIf(Predicate<K> matches) {
    entries.keySet().removeIf(matches);
  }

  /** How many keys are remembered (tests: per-pod state must not grow with edits). */
  public synchronized int size() {
    return entries.size();
  }

  /** Drops entries not touched for 2 × max (kubelet {@code GC}). */
  public synchronized void gc() {
    long now = ticker.nanos();
    entries.values().removeIf(e -> expired(e, now));
  }

  private boolean expired(Entry entry, long now) {
    return now - entry.lastUpdate > max.multipliedBy(2).toNanos();
  }
}
