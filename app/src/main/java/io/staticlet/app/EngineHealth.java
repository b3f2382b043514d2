package io.staticlet.app;

import io.staticlet.core.runtime.ContainerRuntime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Remembers whether the container engine answered its last ping (run every few seconds), for /healthz. */
final class EngineHealth {
  private static final Logger log = LoggerFactory.getLogger(EngineHealth.class);
  private final ContainerRuntime runtime;
  private final Clock clock;
  private volatile String version = "";
  private volatile String error = "not checked yet";
  private volatile Instant checkedAt = Instant.EPOCH;

  EngineHealth(ContainerRuntime runtime, Clock clock) {
    this.runtime = runtime;
    this.clock = clock;
  }

  void check() {
    try {
      String v = runtime.version();
      if (!error.isEmpty()) {
        log.info("container engine answers version={}", v);
      }
      version = v;
      error = "";
    } catch (RuntimeException e) {
      if (error.isEmpty()) {
        log.warn("container engine does not answer error={}", e.getMessage());
      }
      error = String.valueOf(e.getMessage());
    }
    checkedAt = clock.instant();
  }

  boolean ok() {
    return error.isEmpty() && Duration.between(checkedAt, clock.instant()).compareTo(Duration.ofSeconds(30)) < 0;
  }

  String error() {
    return error;
  }

  String version() {
    return version;
  }
}
