package io.staticlet.mirror;

import io.staticlet.core.time.Scheduler;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Scheduler} on a small pool of the agent's own threads, for the node loops (registration,
 * status, lease), whose API calls may block up to the request timeout. A task that throws is logged
 * and, if periodic, keeps its schedule.
 */
final class ExecutorScheduler implements Scheduler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ExecutorScheduler.class);

  private final ScheduledThreadPoolExecutor executor;

  ExecutorScheduler(int threads, ThreadFactory threadFactory) {
    executor = new ScheduledThreadPoolExecutor(threads, threadFactory);
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    if (executor.isShutdown()) {
      return () -> {};
    }
    var future = executor.schedule(guarded(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public Cancellable scheduleAtFixedRate(Duration period, Runnable task) {
    if (executor.isShutdown()) {
      return () -> {};
    }
    var future = executor.scheduleAtFixedRate(guarded(task), period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("scheduled task failed", e);
      }
    };
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
