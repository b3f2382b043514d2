package io.staticlet.core.testing;

import io.staticlet.core.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that only moves when a test says so. Thread-safe. It is also the test's monotonic {@link
 * Ticker}: {@link #advance} moves both, {@link #set} (a wall-clock step) only the wall clock.
 */
public final class ManualClock extends Clock implements Ticker {
  private volatile Instant now;
  private volatile long nanos;

  public ManualClock(Instant start) {
    this.now = start;
  }

  public ManualClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public synchronized void advance(Duration duration) {
    now = now.plus(duration);
    nanos += duration.toNanos();
  }

  @Override
  public long nanos() {
    return nanos;
  }

  public void set(Instant instant) {
    now = instant;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
