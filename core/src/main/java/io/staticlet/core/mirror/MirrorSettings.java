package io.staticlet.core.mirror;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the mirror loop.
 *
 * @param workers worker threads (different pods in parallel, one pass per pod at a time)
 * @param resyncInterval every key with a local pod or a mirror is looked at again this often
 *     (cheap: it reads caches and only writes what differs)
 * @param backoffInitial first retry delay after a failure
 * @param rejectedBackoffMax cap for mirrors the API server refuses (forbidden, namespace missing)
 * @param unavailableBackoffMax cap while the API server is unreachable or a race is resolving;
 *     small so that mirrors are repaired within seconds of the server's return
 */
public record MirrorSettings(
    int workers,
    Duration resyncInterval,
    Duration backoffInitial,
    Duration rejectedBackoffMax,
    Duration unavailableBackoffMax) {
  public MirrorSettings {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    Objects.requireNonNull(resyncInterval, "resyncInterval");
    Objects.requireNonNull(backoffInitial, "backoffInitial");
    Objects.requireNonNull(rejectedBackoffMax, "rejectedBackoffMax");
    Objects.requireNonNull(unavailableBackoffMax, "unavailableBackoffMax");
  }

  /**
   * 2 workers, resync every 10 s, back-off 200 ms doubling to 30 s (refused) or 2 s (unreachable).
   */
  public static MirrorSettings defaults() {
    return new MirrorSettings(
        2,
        Duration.ofSeconds(10),
        Duration.ofMillis(200),
        Duration.ofSeconds(30),
        Duration.ofSeconds(2));
  }
}
