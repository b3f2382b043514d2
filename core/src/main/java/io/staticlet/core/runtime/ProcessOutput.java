package io.staticlet.core.runtime;

/**
 * Receives what a streaming process writes, from the runtime's reader thread, in order. A receiver
 * may block to apply back-pressure; it must not throw.
 */
public interface ProcessOutput {
  void stdout(byte[] bytes);

  void stderr(byte[] bytes);
}
