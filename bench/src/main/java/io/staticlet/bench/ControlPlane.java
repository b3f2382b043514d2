package io.staticlet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private loopback control plane (etcd, kube-apiserver, kube-controller-manager v1.20.2) started
 * with {@code deploy/controlplane/controlplane.sh up} in the bench's own state directory, with the
 * API server's audit log on for the {@code system:nodes} group only, so that the agent's API requests
 * can be counted exactly. The script's watchdog stops it if the bench dies without cleaning up.
 */
final class ControlPlane implements AutoCloseable {
  private static final String AUDIT_POLICY = """
      apiVersion: audit.k8s.io/v1
      kind: Policy
      omitStages: ["RequestReceived"]
      rules:
      - level: Metadata
        userGroups: ["system:nodes"]
      - level: None
      """;

  private final Path script;
  private final Path stateDir;
  private final Path adminKubeconfig;
  private final Path auditLog;
  private final Path scriptLog;

  private ControlPlane(Path script, Path stateDir, Path adminKubeconfig, Path auditLog, Path scriptLog) {
    this.script = script;
    this.stateDir = stateDir;
    this.adminKubeconfig = adminKubeconfig;
    this.auditLog = auditLog;
    this.scriptLog = scriptLog;
  }

  /**
   * Starts it, or explains why it cannot: the kube binaries must already be built (building them takes
   * about 9 minutes, far beyond the bench's budget; {@code deploy/bench.sh} does it first).
   */
  static ControlPlane up(Path repo, Path stateDir) throws ClusterUnavailableException, InterruptedException {
    Path script = repo.resolve("deploy/controlplane/controlplane.sh");
    if (!Files.isRegularFile(script)) {
      throw new ClusterUnavailableException("no " + script);
    }
    Path bin = kubeBinDir();
    if (!Files.isExecutable(bin.resolve("kube-apiserver")) || !Files.isExecutable(bin.resolve("kube-controller-manager"))) {
      throw new ClusterUnavailableException("kube-apiserver not built in " + bin
          + " (run deploy/controlplane/build-kube.sh once, ~9 min)");
    }
    try {
      Files.createDirectories(stateDir);
      Path policy = stateDir.resolve("audit-policy.yaml");
      Path auditLog = stateDir.resolve("logs/audit.log");
      Files.createDirectories(auditLog.getParent());
      Files.writeString(policy, AUDIT_POLICY, StandardCharsets.UTF_8);
      Path scriptLog = stateDir.resolve("controlplane-script.log");
      Map<String, String> env = Map.of(
          "KUBE_BIN_DIR", bin.toString(),
          "CONTROLPLANE_OWNER_PID", Long.toString(ProcessHandle.current().pid()),
          "APISERVER_EXTRA_ARGS", "--audit-policy-file=" + policy + " --audit-log-path=" + auditLog
              + " --audit-log-maxsize=500 --audit-log-format=json");
      List<String> out = run(script, stateDir, scriptLog, env, 240, "up", stateDir.toString());
      Path admin = Path.of(out.get(out.size() - 1).trim());
      if (!Files.isRegularFile(admin)) {
        throw new ClusterUnavailableException("controlplane.sh up printed no kubeconfig; see " + scriptLog);
      }
      return new ControlPlane(script, stateDir, admin, auditLog, scriptLog);
    } catch (IOException | ScriptFailedException e) {
      throw new ClusterUnavailableException("control plane did not start: " + e.getMessage());
    }
  }

  static Path kubeBinDir() {
    String explicit = System.getenv("KUBE_BIN_DIR");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    String cache = System.getenv().getOrDefault("STATICLET_CACHE", System.getProperty("user.home") + "/.cache/staticlet");
    return Path.of(cache, "kubernetes-v1.20.2", "bin");
  }

  Path adminKubeconfig() {
    return adminKubeconfig;
  }

  Path auditLog() {
    return auditLog;
  }

  Path nodeKubeconfig(String node) throws ClusterUnavailableException, InterruptedException {
    try {
      List<String> out = run(script, stateDir, scriptLog, Map.of(), 60, "node-kubeconfig", node, stateDir.toString());
      return Path.of(out.get(out.size() - 1).trim());
    } catch (IOException | ScriptFailedException e) {
      throw new ClusterUnavailableException("no node kubeconfig: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      run(script, stateDir, scriptLog, Map.of(), 90, "down", stateDir.toString());
    } catch (IOException | ScriptFailedException e) {
      System.err.println("bench: controlplane.sh down failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs the script; stderr is appended to the script log, stdout returned as lines. */
  private static List<String> run(Path script, Path stateDir, Path scriptLog, Map<String, String> env, int timeoutSeconds,
      String... args)
      throws IOException, InterruptedException, ScriptFailedException {
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
    cmd.addAll(List.of(args));
    Path stdout = Files.createTempFile(stateDir, "cp-", ".out");
    try {
      ProcessBuilder builder = new ProcessBuilder(cmd)
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectOutput(stdout.toFile())
          .redirectError(ProcessBuilder.Redirect.appendTo(scriptLog.toFile()));
      builder.environment().putAll(env);
      Process p = builder.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
        throw new ScriptFailedException(String.join(" ", args) + " timed out after " + timeoutSeconds + " s; see " + scriptLog);
      }
      List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
      if (p.exitValue() != 0 || lines.isEmpty() && !"down".equals(args[0])) {
        throw new ScriptFailedException(String.join(" ", args) + " exited " + p.exitValue() + "; see " + scriptLog);
      }
      return lines;
    } finally {
      Files.deleteIfExists(stdout);
    }
  }

  private static final class ScriptFailedException extends Exception {
    ScriptFailedException(String message) {
      super(message);
    }
  }
}
