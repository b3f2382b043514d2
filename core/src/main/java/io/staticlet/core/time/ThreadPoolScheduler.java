package io.staticlet.core.time;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Scheduler} port on a small pool of the agent's own (named) threads. A task that throws
 * (a {@link RuntimeException} or an {@link Error}) is logged and, if periodic, keeps its schedule.
 * Delays are monotonic ({@code ScheduledThreadPoolExecutor} runs on {@code System.nanoTime}), so a
 * wall-clock step moves no timer. See {@link Scheduler} for what its tasks may do.
 *
 * <p>Concurrency contract: up to {@code threads} tasks run at once, each on a pool thread; a
 * periodic task never runs concurrently with itself. Its owner (whoever constructed it) alone calls
 * {@link #close()}, which interrupts running tasks, drops pending ones and waits up to 5 s for the
 * threads to end, or {@link #close(Duration)}, which first lets the running tasks finish on their
 * own; scheduling afterwards is a no-op. Every other method is thread-safe and never blocks.
 */
public final class ThreadPoolScheduler implements Scheduler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ThreadPoolScheduler.class);

  private final ScheduledThreadPoolExecutor executor;

  public ThreadPoolScheduler(int threads, ThreadFactory threadFactory) {
    executor = new ScheduledThreadPoolExecutor(threads, threadFactory);
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    if (executor.isShutdown()) {
      return () -> {};
    }
    var future =
        executor.schedule(guarded(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public Cancellable scheduleAtFixedRate(Duration period, Runnable task) {
    if (executor.isShutdown()) {
      return () -> {};
    }
    var future =
        executor.scheduleAtFixedRate(
            guarded(task), period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        // never rethrown: an exception would cancel a periodic task for good
        log.error("scheduled task failed; it keeps its schedule", e);
      }
    };
  }

  @Override
  public void close() {
    close(Duration.ZERO);
  }

  /**
   * Drops the pending and periodic tasks at once, lets the running ones finish for up to {@code
   * grace} (an API call in flight gets its answer: what it writes has landed when this returns),
   * then interrupts what still runs and waits up to 5 s for the threads to end.
   */
  public void close(Duration grace) {
    executor.shutdown();
    // shutdown() would still run a one-shot task already due: nothing queued runs after close
    List.copyOf(executor.getQueue()).forEach(executor::remove);
    try {
      if (!executor.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
