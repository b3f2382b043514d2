package io.staticlet.core.mirror;

/** The API server could not be reached, timed out or answered with a server error: transient. */
public class MirrorApiUnavailableException extends RuntimeException {
  public MirrorApiUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public MirrorApiUnavailableException(String message) {
    super(message);
  }
}
