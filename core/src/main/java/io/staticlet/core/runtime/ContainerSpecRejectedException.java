package io.staticlet.core.runtime;

/**
 * The engine or the runtime refused the container as specified (e.g. a hostPath type check failed);
 * retry with back-off, the manifest must change.
 */
public class ContainerSpecRejectedException extends RuntimeException {
  public ContainerSpecRejectedException(String message) {
    super(message);
  }

  public ContainerSpecRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
