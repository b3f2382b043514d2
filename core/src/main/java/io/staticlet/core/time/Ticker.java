package io.staticlet.core.time;

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
}
