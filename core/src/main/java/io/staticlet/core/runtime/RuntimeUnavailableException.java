package io.staticlet.core.runtime;

/** The engine did not answer or failed transiently; retry later. */
public class RuntimeUnavailableException extends RuntimeException {
  public RuntimeUnavailableException(String message) {
    super(message);
  }

  public RuntimeUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
