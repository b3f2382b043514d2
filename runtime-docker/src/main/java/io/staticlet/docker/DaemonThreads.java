package io.staticlet.docker;

import java.util.concurrent.ThreadFactory;

/** Daemon threads of one name for the adapter's pools: they never keep the JVM alive. */
final class DaemonThreads {
  private DaemonThreads() {}

  static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
