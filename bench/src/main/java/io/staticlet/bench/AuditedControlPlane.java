package io.staticlet.bench;

import io.staticlet.testkit.ControlPlane;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * The bench's private loopback control plane ({@link ControlPlane}, in the bench's own state
 * directory) with the API server's audit log on for the {@code system:nodes} group only, so that
 * the agent's API requests can be counted exactly. The script's progress goes to a log file of its
 * own, not to the bench's output; the script's watchdog stops it if the bench dies without cleaning
 * up.
 */
final class AuditedControlPlane implements AutoCloseable {
  private static final String AUDIT_POLICY =
      """
      apiVersion: audit.k8s.io/v1
      kind: Policy
      omitStages: ["RequestReceived"]
      rules:
      - level: Metadata
        userGroups: ["system:nodes"]
      - level: None
      """;

  private final ControlPlane plane;
  private final Path auditLog;

  private AuditedControlPlane(ControlPlane plane, Path auditLog) {
    this.plane = plane;
    this.auditLog = auditLog;
  }

  /**
   * Starts it, or explains why it cannot: the kube binaries must already be built (building them
   * takes about 9 minutes, far beyond the bench's budget; {@code deploy/bench.sh} does it first).
   */
  static AuditedControlPlane up(Path repo, Path stateDir) throws ClusterUnavailableException {
    Path bin = kubeBinDir();
    if (!Files.isExecutable(bin.resolve("kube-apiserver"))
        || !Files.isExecutable(bin.resolve("kube-controller-manager"))) {
      throw new ClusterUnavailableException(
          "kube-apiserver not built in "
              + bin
              + " (run deploy/controlplane/build-kube.sh once, ~9 min)");
    }
    try {
      Files.createDirectories(stateDir);
      Path policy = stateDir.resolve("audit-policy.yaml");
      Path auditLog = stateDir.resolve("logs/audit.log");
      Files.createDirectories(auditLog.getParent());
      Files.writeString(policy, AUDIT_POLICY, StandardCharsets.UTF_8);
      Path scriptLog = stateDir.resolve("controlplane-script.log");
      Map<String, String> env =
          Map.of(
              "KUBE_BIN_DIR",
              bin.toString(),
              "APISERVER_EXTRA_ARGS",
              "--audit-policy-file="
                  + policy
                  + " --audit-log-path="
                  + auditLog
                  + " --audit-log-maxsize=500 --audit-log-format=json");
      return new AuditedControlPlane(
          ControlPlane.start(repo, stateDir, env, line -> append(scriptLog, line)), auditLog);
    } catch (IOException | RuntimeException e) {
      throw new ClusterUnavailableException("control plane did not start: " + e.getMessage());
    }
  }

  static Path kubeBinDir() {
    String explicit = System.getenv("KUBE_BIN_DIR");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String cache =
        System.getenv()
            .getOrDefault("STATICLET_CACHE", System.getProperty("user.home") + "/.cache/staticlet");
    return Path.of(cache, "kubernetes-v1.20.2", "bin");
  }

  private static void append(Path log, String line) {
    try {
      Files.writeString(
          log,
          line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.err.println("[controlplane] " + line);
    }
  }

  Path adminKubeconfig() {
    return plane.adminKubeconfig();
  }

  Path auditLog() {
    return auditLog;
  }

  Path nodeKubeconfig(String node) throws ClusterUnavailableException {
    try {
      return plane.nodeKubeconfig(node);
    } catch (RuntimeException e) {
      throw new ClusterUnavailableException("no node kubeconfig: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      plane.stop();
    } catch (RuntimeException e) {
      System.err.println("bench: controlplane.sh down failed: " + e.getMessage());
    }
  }
}
