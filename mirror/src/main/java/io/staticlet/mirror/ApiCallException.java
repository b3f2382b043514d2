package io.staticlet.mirror;

import io.staticlet.core.mirror.MirrorApiUnavailableException;
import io.staticlet.core.mirror.MirrorRejectedException;

/** A failed API call, classified once by {@link ApiCalls}; callers branch on {@link #kind()}. */
final class ApiCallException extends RuntimeException {
  private final ApiErrorKind kind;
  private final int code;

  ApiCallException(ApiErrorKind kind, int code, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.code = code;
  }

  ApiErrorKind kind() {
    return kind;
  }

  int code() {
    return code;
  }

  /** The core mirror exception for this failure. */
  RuntimeException toMirrorException() {
    return kind == ApiErrorKind.UNAVAILABLE
        ? new MirrorApiUnavailableException(getMessage(), this)
        : new MirrorRejectedException(getMessage(), this);
  }
}
