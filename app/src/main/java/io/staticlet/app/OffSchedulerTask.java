package io.staticlet.app;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blocking task (an engine ping, the orphan sweep) that the scheduler triggers but never runs: it
 * runs on a thread of its own, at most once at a time; a trigger while it still runs is dropped. So
 * a frozen engine holds this thread only, never the scheduler's (see {@code Scheduler}).
 */
final class OffSchedulerTask implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OffSchedulerTask.class);

  private final String name;
  private final Runnable task;
  private final ExecutorService thread;
  private final AtomicBoolean running = new AtomicBoolean();

  OffSchedulerTask(String name, Runnable task) {
    this.name = name;
    this.task = task;
    this.thread = Executors.newSingleThreadExecutor(NamedThreads.single(name));
  }

  /** Starts the task unless it is still running; never blocks. */
  void trigger() {
    if (!running.compareAndSet(false, true)) {
      log.debug("{} still running, trigger dropped", name);
      return;
    }
    try {
      thread.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException | Error e) {
              log.error("{} failed; it runs again at the next trigger", name, e);
            } finally {
              running.set(false);
            }
          });
    } catch (RejectedExecutionException closed) {
      running.set(false);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
