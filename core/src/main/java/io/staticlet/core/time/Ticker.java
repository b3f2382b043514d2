package io.staticlet.core.time;

import java.time.Clock;

/**
 * Monotonic time for delays, back-offs, timeouts and progress checks (DECISIONS.md 24): unlike a
 * {@link java.time.Clock} it never steps when the wall clock is set. Only differences between two
 * readings mean anything. Tests use {@code ManualTicker} (or {@code ManualClock}, which is both).
 */
@FunctionalInterface
public interface Ticker {
  /** The JVM's {@link System#nanoTime()}. */
  Ticker SYSTEM = System::nanoTime;

  long nanos();

  /**
   * The monotonic time that goes with {@code clock}: the clock itself when it is also a ticker (the
   * tests' {@code ManualClock}, so one {@code advance} moves both), else {@link #SYSTEM}. Lets a
   * class that is given a clock for timestamps run its delays on monotonic time.
   */
  static Ticker of(Clock clock) {
    return clock instanceof Ticker ticker ? ticker : SYSTEM;
  }
}
