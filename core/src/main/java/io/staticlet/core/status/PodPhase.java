package io.staticlet.core.status;

/** A pod's {@code status.phase}. */
public enum PodPhase {
  PENDING("Pending"),
  RUNNING("Running"),
  SUCCEEDED("Succeeded"),
  FAILED("Failed");

  private final String apiName;

  PodPhase(String apiName) {
    this.apiName = apiName;
  }

  /** The spelling of the Kubernetes API ({@code Running}). */
  public String apiName() {
    return apiName;
  }

  /** Succeeded and Failed never change again for the same pod UID. */
  public boolean terminal() {
    return this == SUCCEEDED || this == FAILED;
  }
}
