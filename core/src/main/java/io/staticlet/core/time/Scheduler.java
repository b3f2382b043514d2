package io.staticlet.core.time;

import java.time.Duration;

/**
 * Runs tasks later. Implemented in app with a ScheduledExecutorService; tests use ManualScheduler.
 *
 * <p>Concurrency contract: the agent's scheduler has two threads shared by the manifest re-lists,
 * probe ticks and every timer, so a task must be short and must never block on the container
 * engine or the API server: such work is handed to an executor of its own (probe I/O, the engine
 * ping and the orphan sweep each have one) or to a {@code QueueWorkers}' queue. A task that throws
 * is logged and keeps its schedule. Delays are monotonic: a wall-clock step moves no timer.
 */
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
