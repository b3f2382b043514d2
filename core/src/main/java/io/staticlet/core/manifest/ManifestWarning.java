package io.staticlet.core.manifest;

import io.staticlet.core.pod.PodKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A manifest that runs, with fields the Pod schema does not know (DECISIONS.md 5): they were
 * dropped, as the kubelet drops them, and the operator is told which. {@code pod} is the pod the
 * file defines.
 */
public record ManifestWarning(Path file, PodKey pod, List<String> unknownFields) {
  public ManifestWarning {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(pod, "pod");
    unknownFields = List.copyOf(unknownFields);
  }

  /**
   * One line for logs, {@code /pods} and events: {@code <file>: unknown fields ignored: a.b, c}.
   */
  public String describe() {
    return file + ": unknown fields ignored: " + String.join(", ", unknownFields);
  }
}
