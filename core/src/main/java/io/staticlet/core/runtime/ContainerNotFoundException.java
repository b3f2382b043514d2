package io.staticlet.core.runtime;

/** The container is already gone: treat the operation as done. */
public class ContainerNotFoundException extends RuntimeException {
  public ContainerNotFoundException(String message) {
    super(message);
  }

  public ContainerNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
