package io.staticlet.core.runtime;

/** A container's {@code terminationMessagePolicy}. */
public enum TerminationMessagePolicy {
  /** The message is the content of the termination-message file. */
  FILE("File"),
  /** As {@link #FILE}; an empty file and a failed exit fall back to the log's tail. */
  FALLBACK_TO_LOGS_ON_ERROR("FallbackToLogsOnError");

  private final String kubernetesName;

  TerminationMessagePolicy(String kubernetesName) {
    this.kubernetesName = kubernetesName;
  }

  public String kubernetesName() {
    return kubernetesName;
  }

  /**
   * {@code File} for anything but {@code FallbackToLogsOnError} (the API default), so old labels
   * read back.
   */
  public static TerminationMessagePolicy of(String value) {
    return FALLBACK_TO_LOGS_ON_ERROR.kubernetesName.equals(value)
        ? FALLBACK_TO_LOGS_ON_ERROR
        : FILE;
  }
}
