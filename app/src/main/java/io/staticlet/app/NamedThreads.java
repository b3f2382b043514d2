package io.staticlet.app;

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

  @Override
  public Thread newThread(Runnable r) {
    String name = numbered ? prefix + "-" + next.getAndIncrement() : prefix;
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
