package io.staticlet.core.queue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * Worker threads over one {@link WorkQueue}: each takes a due key, hands it to the handler and
 * marks it done, so one key is in flight at most once. {@link #processNext()} is the same step
 * without threads, for tests that drive a loop by hand. {@link #close()} shuts the queue down and
 * joins the threads.
 */
public final class QueueWorkers<K> implements AutoCloseable {
  private static final Duration JOIN = Duration.ofSeconds(5);

  private final WorkQueue<K> queue;
  private final Consumer<K> handler;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  /** @param handler handles one key; must not throw (an exception ends nothing but is not expected) */
  public QueueWorkers(WorkQueue<K> queue, Consumer<K> handler) {
    this.queue = queue;
    this.handler = handler;
  }

  /** Starts {@code count} threads that run until {@link #close()}. */
  public void start(int count, ThreadFactory threadFactory) {
    for (int i = 0; i < count; i++) {
      Thread t = threadFactory.newThread(this::loop);
      threads.add(t);
      t.start();
    }
  }

  /** Handles one due key if there is one; returns false when nothing was due. */
  public boolean processNext() {
    Optional<K> key = queue.poll();
    key.ifPresent(this::handle);
    return key.isPresent();
  }

  /** True while every started thread is alive (or none were started). */
  public boolean alive() {
    return threads.stream().allMatch(Thread::isAlive);
  }

  private void loop() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Optional<K> key = queue.take();
        if (key.isEmpty()) {
          return;
        }
        handle(key.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void handle(K key) {
    try {
      handler.accept(key);
    } finally {
      queue.done(key);
    }
  }

  @Override
  public void close() {
    queue.shutDown();
    threads.forEach(Thread::interrupt);
    for (Thread t : threads) {
      try {
        t.join(JOIN.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
