package io.staticlet.bench;

/**
 * What every benchmarked pod runs, for the agent and the baseline alike: the e2e tests' busybox
 * service, which sleeps until SIGTERM and then exits 0, in a sandbox of the agent's default infra image.
 */
final class Workload {
  static final String PAUSE_IMAGE = "registry.k8s.io/pause:3.10";
  static final String APP_IMAGE = "staticlet/busybox:1.36";
  static final String SCRIPT = "trap 'exit 0' TERM; while true; do sleep 1; done";
  static final String NAMESPACE = "default";
  static final int GRACE_SECONDS = 5;

  private Workload() {}

  /** The static pod manifest, named {@code name}; the agent calls the pod {@code name-<node>}. */
  static String manifest(String name) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
          namespace: %s
        spec:
          terminationGracePeriodSeconds: %d
          containers:
          - name: app
            image: %s
            command: ["sh", "-c", "%s"]
        """.formatted(name, NAMESPACE, GRACE_SECONDS, APP_IMAGE, SCRIPT);
  }
}
