package io.staticlet.core.pod;

/**
 * A pod's {@code spec.restartPolicy} with the kubelet's semantics: which exited containers are
 * started again. Manifests are validated before they become a {@link StaticPod}, so only these
 * three values reach here; an unset policy defaults to {@link #ALWAYS}.
 */
public enum RestartPolicy {
  /** Every exited container is restarted (with back-off); the pod never completes. */
  ALWAYS("Always"),
  /**
   * Containers that failed (exit code not 0) are restarted; the pod completes once all succeeded.
   */
  ON_FAILURE("OnFailure"),
  /** Nothing is restarted; the pod completes once every container exited. */
  NEVER("Never");

  private final String apiValue;

  RestartPolicy(String apiValue) {
    this.apiValue = apiValue;
  }

  /** The value as written in a manifest; null or empty means {@link #ALWAYS}. */
  public static RestartPolicy of(String apiValue) {
    if (apiValue == null || apiValue.isEmpty()) {
      return ALWAYS;
    }
    for (RestartPolicy p : values()) {
      if (p.apiValue.equals(apiValue)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown restartPolicy " + apiValue + " (manifests are validated)");
  }

  /** Whether a container that exited with {@code exitCode} is started again. */
  public boolean restartsAfter(int exitCode) {
    return switch (this) {
      case ALWAYS -> true;
      case ON_FAILURE -> exitCode != 0;
      case NEVER -> false;
    };
  }

  /** The value as the API writes it: {@code Always}, {@code OnFailure}, {@code Never}. */
  public String apiValue() {
    return apiValue;
  }
}
