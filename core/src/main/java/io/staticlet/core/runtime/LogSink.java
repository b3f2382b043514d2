package io.staticlet.core.runtime;

/** Receives a container's log output as the engine delivers it, on the engine client's thread. */
public interface LogSink {
  /** A chunk of output (usually one line, with its newline). */
  void write(boolean stderr, byte[] bytes);

  /**
   * The stream ended: the container stopped (follow), all was read, it was closed, or {@code
   * error}.
   */
  void end(Throwable error);
}
