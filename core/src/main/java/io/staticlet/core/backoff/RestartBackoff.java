package io.staticlet.core.backoff;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The kubelet's per-key exponential back-off (client-go {@code flowcontrol.Backoff}) as used for
 * CrashLoopBackOff and ImagePullBackOff: the first failure is retried at once and starts a delay of
 * {@code initial}; each later failure doubles it up to {@code max}; an entry is forgotten after
 * {@code 2 × max} without a failure (10 minutes with the defaults). Thread-safe.
 */
public final class RestartBackoff<K> {
  private final Clock clock;
  private final Duration initial;
  private final Duration max;
  private final Map<K, Entry> entries = new HashMap<>(); // guarded by this

  private record Entry(Duration delay, Instant lastUpdate) {}

  public RestartBackoff(Clock clock, Duration initial, Duration max) {
    this.clock = clock;
    this.initial = initial;
    this.max = max;
  }

  /** The kubelet's defaults: 10 s doubling to 300 s. */
  public static <K> RestartBackoff<K> kubeletDefaults(Clock clock) {
    return new RestartBackoff<>(clock, Duration.ofSeconds(10), Duration.ofMinutes(5));
  }

  /**
   * How long to wait before retrying a key whose last failure happened at {@code failedAt}: zero
   * when it may be retried now. (kubelet {@code IsInBackOffSince}.)
   */
  public synchronized Duration remaining(K key, Instant failedAt) {
    Entry entry = entries.get(key);
    Instant now = clock.instant();
    if (entry == null || expired(entry, now)) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(now, failedAt.plus(entry.delay()));
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Records a retry happening now and returns the delay that will apply to the next failure. (kubelet {@code Next}.) */
  public synchronized Duration recordRetry(K key) {
    Instant now = clock.instant();
    Entry entry = entries.get(key);
    Duration delay;
    if (entry == null || expired(entry, now)) {
      delay = initial;
    } else {
      delay = entry.delay().multipliedBy(2);
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
    return entry == null || expired(entry, clock.instant()) ? Duration.ZERO : entry.delay();
  }

  public synchronized void forget(K key) {
    entries.remove(key);
  }

  /** Drops entries not touched for 2 × max (kubelet {@code GC}). */
  public synchronized void gc() {
    Instant now = clock.instant();
    entries.values().removeIf(e -> expired(e, now));
  }

  private boolean expired(Entry entry, Instant now) {
    return Duration.between(entry.lastUpdate(), now).compareTo(max.multipliedBy(2)) > 0;
  }
}
