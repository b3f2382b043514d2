package io.staticlet.app;

import io.staticlet.core.events.KubeletEvents;
import io.staticlet.core.manifest.ManifestError;
import io.staticlet.core.manifest.ManifestListener;
import io.staticlet.core.manifest.ManifestSnapshot;
import io.staticlet.core.manifest.ManifestWarning;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import java.util.HashSet;
import java.util.Set;

/**
 * Manifest problems that concern a running pod become Warning events on it, so {@code kubectl
 * describe pod} tells the operator why an edit did not apply: {@code InvalidManifest} when its file
 * became invalid (the last good version keeps running, DECISIONS.md 8) and {@code
 * DuplicateManifest} when another file defines the same pod (DECISIONS.md 7), and {@code
 * UnknownManifestFields} when the file has fields the Pod schema does not know (DECISIONS.md 5: the
 * pod runs without them). Each problem is recorded when it appears or changes, not on every
 * re-list. One caller at a time (the manifest source's thread).
 */
final class ManifestEvents implements ManifestListener {
  private final KubeletEvents events;
  private Set<String> reported = Set.of();

  ManifestEvents(KubeletEvents events) {
    this.events = events;
  }

  @Override
  public void onSnapshot(ManifestSnapshot snapshot) {
    Set<String> current = new HashSet<>();
    for (ManifestError error : snapshot.errors()) {
      PodKey about = error.pod() != null ? error.pod() : error.duplicateOf();
      StaticPod pod = about == null ? null : snapshot.pods().get(about);
      if (pod == null) {
        continue; // no pod to attach it to: the log, /metrics and /pods' file errors say it
      }
      String line = error.describe();
      current.add(line);
      if (reported.contains(line)) {
        continue;
      }
      if (error.pod() != null) {
        events.podWarning(
            pod.key(),
            pod.uid(),
            "InvalidManifest",
            line + " (still running the last good version)");
      } else {
        events.podWarning(
            pod.key(),
            pod.uid(),
            "DuplicateManifest",
            error.file() + " also defines this pod and was ignored: " + error.message());
      }
    }
    for (ManifestWarning warning : snapshot.warnings()) {
      StaticPod pod = snapshot.pods().get(warning.pod());
      if (pod == null) {
        continue;
      }
      String line = pod.uid() + " " + warning.describe(); // once per file version
      current.add(line);
      if (!reported.contains(line)) {
        events.podWarning(
            pod.key(),
            pod.uid(),
            "UnknownManifestFields",
            warning.describe() + " (the Pod schema does not know them; the pod runs without them)");
      }
    }
    reported = current;
  }
}
