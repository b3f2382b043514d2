package io.staticlet.bench;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What the bench must undo, newest first: agent processes, containers, the control plane. Runs
 * once, from the normal end of the run or from the JVM's shutdown hook (Ctrl-C, SIGTERM, an
 * exception).
 */
final class Cleanup {
  private final Deque<Step> steps = new ArrayDeque<>();
  private boolean done;

  private record Step(String what, ThrowingRunnable action) {}

  /** An undo action that may fail; a failure is reported and the next step still runs. */
  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  synchronized void add(String what, ThrowingRunnable action) {
    steps.push(new Step(what, action));
  }

  synchronized void runAll() {
    if (done) {
      return;
    }
    done = true;
    while (!steps.isEmpty()) {
      Step step = steps.pop();
      try {
        step.action().run();
      } catch (Exception | Error e) {
        System.err.println("bench: cleanup step '" + step.what() + "' failed: " + e);
      }
    }
  }

  Thread asShutdownHook() {
    return new Thread(this::runAll, "bench-cleanup");
  }
}
