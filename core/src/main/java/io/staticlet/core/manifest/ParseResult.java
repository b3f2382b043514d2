package io.staticlet.core.manifest;

import io.staticlet.core.pod.StaticPod;
import java.util.Objects;

/** What {@link ManifestParser} made of one file: a pod to run, or the reason there is none. */
public sealed interface ParseResult permits ParseResult.Parsed, ParseResult.Rejected {

  /** The file defines a valid pod, fully defaulted. */
  record Parsed(StaticPod pod) implements ParseResult {
    public Parsed {
      Objects.requireNonNull(pod, "pod");
    }
  }

  /** The file cannot be used; {@code error.pod()} is always null here (the source fills it in). */
  record Rejected(ManifestError error) implements ParseResult {
    public Rejected {
      Objects.requireNonNull(error, "error");
    }
  }
}
