package io.staticlet.e2e.probes;

import io.staticlet.testkit.Manifests;

/** Manifests with probes and hooks: one busybox container whose fields the test adds as YAML. */
final class ProbeManifests {
  /** Runs {@code body} and then idles until SIGTERM, which exits 0 at once. */
  static String service(String body) {
    return "trap 'exit 0' TERM; " + body + " sleep 3600 & wait";
  }

  /**
   * A pod named {@code name} with container {@code app} running {@code script}; {@code container}
   * is YAML at the container's level, {@code spec} at the pod spec's level.
   */
  static String pod(
      String name, String restartPolicy, String script, String container, String spec) {
    return Manifests.pod(
        name, script, container, "restartPolicy: " + restartPolicy + "\n" + spec.stripIndent());
  }

  private ProbeManifests() {}
}
