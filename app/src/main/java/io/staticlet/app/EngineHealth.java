package io.staticlet.app;

import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.time.Ticker;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers whether the container engine answered its last ping (run every few seconds on a thread
 * of its own, {@link OffSchedulerTask}) and tells {@code /healthz}: unhealthy after an error, or
 * after {@link #NO_ANSWER} without an answer ("no answer for 35s"), on monotonic time.
 */
final class EngineHealth {
  private static final Logger log = LoggerFactory.getLogger(EngineHealth.class);

  /** How long the engine may go without answering a ping before /healthz says so. */
  static final Duration NO_ANSWER = Duration.ofSeconds(20);

  private final ContainerRuntime runtime;
  private final Ticker ticker;
  private volatile String version = "";
  private volatile String error = "not checked yet";
  private volatile long answeredAt;

  EngineHealth(ContainerRuntime runtime, Ticker ticker) {
    this.runtime = runtime;
    this.ticker = ticker;
    this.answeredAt = ticker.nanos();
  }

  /** Pings now, on the caller's thread (blocks while the engine does not answer). */
  void check() {
    try {
      String v = runtime.version();
      if (!error.isEmpty()) {
        log.info("container engine answers version={}", v);
      }
      version = v;
      error = "";
      answeredAt = ticker.nanos();
    } catch (RuntimeException e) {
      if (error.isEmpty()) {
        log.warn("container engine does not answer error={}", e.getMessage());
      }
      error = String.valueOf(e.getMessage());
    }
  }

  /** Empty while the engine answers; else what is wrong, for {@code /healthz}. */
  Optional<String> problem() {
    Duration silent = Duration.ofNanos(ticker.nanos() - answeredAt);
    if (silent.compareTo(NO_ANSWER) > 0) {
      return Optional.of(
          "no answer for "
              + silent.toSeconds()
              + "s"
              + (error.isEmpty() ? "" : " (" + error + ")"));
    }
    return error.isEmpty() ? Optional.empty() : Optional.of(error);
  }

  String version() {
    return version;
  }
}
