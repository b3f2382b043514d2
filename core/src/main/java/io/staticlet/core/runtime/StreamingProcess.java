package io.staticlet.core.runtime;

import java.util.concurrent.CompletableFuture;

/**
 * A process whose standard streams are connected to the caller: an interactive exec, an attach to a
 * container's own stdio, or a TCP connection opened inside a pod's network namespace. Methods may
 * block on the engine; call them from one thread at a time.
 */
public interface StreamingProcess extends AutoCloseable {
  /** Writes to the process's stdin. */
  void writeStdin(byte[] bytes);

  /** Closes the process's stdin (end of input); the process keeps running until it exits. */
  void closeStdin();

  /** Resizes the process's terminal; ignored without a terminal. */
  void resize(int width, int height);

  /**
   * Completes once the output has ended: with the exit code for an exec, 0 for an attach or a
   * connection that ended normally; exceptionally with a runtime exception when it failed.
   */
  CompletableFuture<Integer> exit();

  /**
   * Drops the connection to the process (an exec keeps running in the container, as with the
   * kubelet).
   */
  @Override
  void close();
}
