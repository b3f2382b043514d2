package io.staticlet.mirror.credentials;

/**
 * The node's API credentials cannot be used or obtained; the message names the file and the reason.
 */
public class CredentialsException extends RuntimeException {
  public CredentialsException(String message) {
    super(message);
  }

  public CredentialsException(String message, Throwable cause) {
    super(message, cause);
  }
}
