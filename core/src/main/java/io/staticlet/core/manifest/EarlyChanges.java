package io.staticlet.core.manifest;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a re-list made at the <b>first</b> file-system event of a burst may deliver before the burst
 * is over (DECISIONS.md 6): only what starts a pod and stops none. From the freshly listed snapshot
 * it takes the pods that are new — their key was not delivered and their file defined no delivered
 * pod — and keeps every delivered pod as it was, even when the listing shows it gone, changed or
 * invalid. Those changes wait for the re-list that confirms them once the directory was quiet.
 *
 * <p>So no intermediate state of a save can stop a pod: vim's rename of the original to {@code
 * file~} (the manifest seems deleted), {@code sed -i}'s temporary {@code sedXXXXXX} next to the
 * original (a duplicate of the pod with another UID), a truncated file being written in place, a
 * ConfigMap volume's {@code ..data} swap — each of them removes or changes a delivered pod, which
 * only the confirming re-list may do. Errors and warnings also stay those of the delivered snapshot
 * (a half-written file's error is not reported), plus the warnings of the pods taken early.
 * Stateless.
 */
final class EarlyChanges {
  private EarlyChanges() {}

  static ManifestSnapshot admit(ManifestSnapshot delivered, ManifestSnapshot listed) {
    Set<Path> knownFiles = new HashSet<>();
    for (StaticPod pod : delivered.pods().values()) {
      knownFiles.add(pod.source());
    }
    Map<PodKey, StaticPod> pods = new LinkedHashMap<>(delivered.pods());
    List<ManifestWarning> warnings = new ArrayList<>(delivered.warnings());
    for (StaticPod pod : listed.pods().values()) {
      if (delivered.pods().containsKey(pod.key()) || knownFiles.contains(pod.source())) {
        continue;
      }
      pods.put(pod.key(), pod);
      for (ManifestWarning warning : listed.warnings()) {
        if (warning.pod().equals(pod.key())) {
          warnings.add(warning);
        }
      }
    }
    return new ManifestSnapshot(pods, delivered.errors(), warnings);
  }
}
