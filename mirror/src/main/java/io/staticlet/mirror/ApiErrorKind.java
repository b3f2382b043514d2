package io.staticlet.mirror;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** What a failed API call means for the caller: the one place HTTP status codes are interpreted. */
enum ApiErrorKind {
  /** Not reachable, timed out, throttled or a server error: retry soon. */
  UNAVAILABLE,
  /** 404: the object (or its namespace) does not exist. */
  NOT_FOUND,
  /** 409: already exists, a precondition failed, or a stale resourceVersion. */
  CONFLICT,
  /**
   * 400, 401, 403, 422 and the rest: the server refuses; retrying the same request will not help
   * soon.
   */
  REJECTED;

  static ApiErrorKind of(KubernetesClientException e) {
    int code = e.getCode();
    if (code <= 0 || code == 408 || code == 429 || code >= 500) {
      return UNAVAILABLE;
    }
    if (code == 404) {
      return NOT_FOUND;
    }
    if (code == 409) {
      return CONFLICT;
    }
    return REJECTED;
  }
}
