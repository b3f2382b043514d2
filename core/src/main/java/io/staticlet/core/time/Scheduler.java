package io.staticlet.core.time;

import java.time.Duration;

/** Runs tasks later. Implemented in app with a ScheduledExecutorService; tests use ManualScheduler. */
public interface Scheduler {
  /** Runs {@code task} once after {@code delay}; the returned handle cancels it. */
  Cancellable schedule(Duration delay, Runnable task);

  /** Runs {@code task} every {@code period}, first after {@code period}. */
  Cancellable scheduleAtFixedRate(Duration period, Runnable task);

  /** A scheduled task that can be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
