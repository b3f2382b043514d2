package io.staticlet.core.manifest;

import io.staticlet.core.pod.StaticPod;
import java.util.List;
import java.util.Objects;

/** What {@link ManifestParser} made of one file: a pod to run, or the reason there is none. */
public sealed interface ParseResult permits ParseResult.Parsed, ParseResult.Rejected {

  /**
   * The file defines a valid pod, fully defaulted. {@code unknownFields}: paths of fields the Pod
   * schema does not know; they were dropped (DECISIONS.md 5) and are reported as a warning.
   */
  record Parsed(StaticPod pod, List<String> unknownFields) implements ParseResult {
    public Parsed {
      Objects.requireNonNull(pod, "pod");
      unknownFields = List.copyOf(unknownFields);
    }

    public Parsed(StaticPod pod) {
      this(pod, List.of());
    }
  }

  /** The file cannot be used; {@code error.pod()} is always null here (the source fills it in). */
  record Rejected(ManifestError error) implements ParseResult {
    public Rejected {
      Objects.requireNonNull(error, "error");
    }
  }
}
