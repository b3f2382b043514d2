package io.staticlet.core.mirror;

/**
 * The API server refused a mirror operation (forbidden, namespace missing, admission, invalid). The
 * pod keeps running; the reason is shown on {@code /pods} and the operation is retried with
 * back-off, since the cause (a missing namespace, a policy) may go away.
 */
public class MirrorRejectedException extends RuntimeException {
  private final String reason;

  public MirrorRejectedException(String reason, Throwable cause) {
    super(reason, cause);
    this.reason = reason;
  }

  public MirrorRejectedException(String reason) {
    this(reason, null);
  }

  /** Human-readable, as the API server said it. */
  public String reason() {
    return reason;
  }
}
