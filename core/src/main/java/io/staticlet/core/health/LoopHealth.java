package io.staticlet.core.health;

import io.staticlet.core.queue.QueueWorkers;
import io.staticlet.core.time.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The agent's loops as {@code /healthz} sees them (DECISIONS.md 26): a loop is unhealthy when it
 * stopped making progress, not only when its thread died. Each loop registers one check; a problem
 * reads {@code <loop>: <what>}, e.g. {@code manifest re-list: no progress for 95s}. Thread-safe.
 */
public final class LoopHealth {
  private final Ticker ticker;
  private final Map<String, Supplier<Optional<String>>> checks =
      new LinkedHashMap<>(); // guarded by this

  public LoopHealth(Ticker ticker) {
    this.ticker = ticker;
  }

  /** Registers a check: empty while the loop is fine, else what is wrong. */
  public synchronized void add(String loop, Supplier<Optional<String>> check) {
    checks.put(loop, check);
  }

  /**
   * A loop that must complete a round at least every {@code maxSilence}; it calls {@link
   * Heartbeat#beat()}.
   */
  public Heartbeat heartbeat(String loop, Duration maxSilence) {
    Heartbeat heartbeat = new Heartbeat(ticker, maxSilence);
    add(loop, heartbeat::problem);
    return heartbeat;
  }

  /**
   * Workers over a queue: unhealthy when one worker is on one key for longer than {@code max}, or a
   * thread died.
   */
  public <K> void workers(String loop, QueueWorkers<K> workers, Duration max) {
    add(loop, () -> stuck(workers, max));
  }

  /**
   * What is wrong with {@code workers}: a dead thread, or one on one key for longer than {@code
   * max}.
   */
  public static <K> Optional<String> stuck(QueueWorkers<K> workers, Duration max) {
    if (!workers.alive()) {
      return Optional.of("a worker thread stopped");
    }
    return workers
        .busiest()
        .filter(b -> b.busyFor().compareTo(max) > 0)
        .map(b -> b.worker() + " on " + b.key() + " for " + b.busyFor().toSeconds() + "s");
  }

  /** What is wrong, one entry per unhealthy loop; empty when all is well. */
  public List<String> problems() {
    List<Map.Entry<String, Supplier<Optional<String>>>> all;
    synchronized (this) {
      all = new ArrayList<>(checks.entrySet());
    }
    List<String> problems = new ArrayList<>();
    for (var check : all) {
      Optional<String> problem;
      try {
        problem = check.getValue().get();
      } catch (RuntimeException e) {
        problem = Optional.of("check failed: " + e.getMessage());
      }
      problem.ifPresent(p -> problems.add(check.getKey() + ": " + p));
    }
    return problems;
  }

  /** Progress of one periodic loop. Thread-safe. */
  public static final class Heartbeat {
    private final Ticker ticker;
    private final Duration maxSilence;
    private volatile long lastNanos;

    Heartbeat(Ticker ticker, Duration maxSilence) {
      this.ticker = ticker;
      this.maxSilence = maxSilence;
      this.lastNanos = ticker.nanos();
    }

    /** The loop completed a round. */
    public void beat() {
      lastNanos = ticker.nanos();
    }

    Optional<String> problem() {
      Duration silent = Duration.ofNanos(ticker.nanos() - lastNanos);
      return silent.compareTo(maxSilence) > 0
          ? Optional.of("no progress for " + silent.toSeconds() + "s")
          : Optional.empty();
    }
  }
}
