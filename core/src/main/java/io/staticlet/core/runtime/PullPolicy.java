package io.staticlet.core.runtime;

/** A container's {@code imagePullPolicy}. */
public enum PullPolicy {
  /** Pull every time; a failed pull is an error even with a local copy. */
  ALWAYS("Always"),
  /** Pull only a missing image. */
  IF_NOT_PRESENT("IfNotPresent"),
  /** Only check that the image is present ({@code ErrImageNeverPull}). */
  NEVER("Never");

  private final String kubernetesName;

  PullPolicy(String kubernetesName) {
    this.kubernetesName = kubernetesName;
  }

  /** As written in a manifest: {@code Always}, {@code IfNotPresent}, {@code Never}. */
  public String kubernetesName() {
    return kubernetesName;
  }

  /**
   * The policy of {@code image} as the manifest gives it; an empty one defaults as the API server
   * does ({@code Always} for {@code :latest} or no tag, else {@code IfNotPresent}).
   *
   * @throws ImagePullException for a value that is no pull policy
   */
  public static PullPolicy of(String policy, String image) {
    if (policy == null || policy.isEmpty()) {
      return latest(image) ? ALWAYS : IF_NOT_PRESENT;
    }
    for (PullPolicy p : values()) {
      if (p.kubernetesName.equals(policy)) {
        return p;
      }
    }
    throw new ImagePullException("unknown imagePullPolicy \"" + policy + "\" for image " + image);
  }

  private static boolean latest(String image) {
    if (image.contains("@")) {
      return false;
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon <= slash || "latest".equals(image.substring(colon + 1));
  }

  @Override
  public String toString() {
    return kubernetesName;
  }
}
