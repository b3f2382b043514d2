package io.staticlet.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread factories with names that say what the thread does ({@code reconcile-0}, {@code
 * docker-events}).
 */
final class NamedThreads implements ThreadFactory {
  private final String prefix;
  private final boolean numbered;
  private final AtomicInteger next = new AtomicInteger();

  private NamedThreads(String prefix, boolean numbered) {
    this.prefix = prefix;
    this.numbered = numbered;
  }

  static NamedThreads numbered(String prefix) {
    return new NamedThreads(prefix, true);
  }

  static NamedThreads single(String name) {
    return new NamedThreads(name, false);
  }

  /** Runs {@code task} once on a new daemon thread {@code name}; completes when it returned. */
  static CompletableFuture<Void> runOnce(String name, Runnable task) {
    return CompletableFuture.runAsync(task, r -> single(name).newThread(r).start());
  }

  @Override
  public Thread newThread(Runnable r) {
    String name = numbered ? prefix + "-" + next.getAndIncrement() : prefix;
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
