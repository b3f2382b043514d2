package io.staticlet.core.manifest;

import io.staticlet.core.pod.StaticPod;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs manifest errors without flooding: a WARN when a file's errors first appear or change, again
 * for every file still in error when {@code repeat} is set (the periodic re-list), and an INFO when
 * a file's errors are gone. Debounced re-lists that find the same errors log nothing. Not
 * thread-safe: one caller at a time.
 */
final class ManifestErrorLog {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestErrorLog.class);

  private Map<Path, String> reported = Map.of();
  private Set<String> warned = Set.of();

  void report(ManifestSnapshot snapshot, boolean repeat) {
    Map<Path, String> current = new LinkedHashMap<>();
    for (ManifestError error : snapshot.errors()) {
      String line =
          error.pod() == null
              ? error.message()
              : error.message() + " (still running the last good version of " + error.pod() + ")";
      current.merge(error.file(), line, (a, b) -> a + "; " + b);
    }
    current.forEach(
        (file, message) -> {
          if (repeat || !message.equals(reported.get(file))) {
            LOG.warn("Manifest {} rejected: {}", file, message);
          }
        });
    for (Path file : reported.keySet()) {
      if (!current.containsKey(file)) {
        LOG.info("Manifest {} has no errors any more", file);
      }
    }
    reported = current;
    reportWarnings(snapshot);
  }

  /** Unknown fields: one WARN per file version (a new UID is a new version), never repeated. */
  private void reportWarnings(ManifestSnapshot snapshot) {
    Set<String> current = new HashSet<>();
    for (ManifestWarning warning : snapshot.warnings()) {
      StaticPod pod = snapshot.pods().get(warning.pod());
      String key = (pod == null ? "" : pod.uid()) + " " + warning.describe();
      current.add(key);
      if (!warned.contains(key)) {
        LOG.warn(
            "Manifest {} runs without the fields the Pod schema does not know: {}",
            warning.file(),
            String.join(", ", warning.unknownFields()));
      }
    }
    warned = current;
  }
}
