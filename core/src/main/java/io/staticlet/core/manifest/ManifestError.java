package io.staticlet.core.manifest;

import io.staticlet.core.pod.PodKey;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A manifest file that could not be used. {@code message} names the field where there is one
 * ("spec.containers[0].image: Required value"). {@code pod} is the pod this file last defined
 * successfully (still running on its last good version), or {@code null} when there is none. {@code
 * duplicateOf} is the pod of another file this file also defines (DECISIONS.md 7), or {@code null}.
 */
public record ManifestError(Path file, String message, PodKey pod, PodKey duplicateOf) {
  public ManifestError {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }

  public ManifestError(Path file, String message, PodKey pod) {
    this(file, message, pod, null);
  }

  /** One line for logs and {@code /pods}: {@code <file>: <message>}. */
  public String describe() {
    return file + ": " + message;
  }
}
