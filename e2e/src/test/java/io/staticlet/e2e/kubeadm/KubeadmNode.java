package io.staticlet.e2e.kubeadm;

import io.staticlet.e2e.support.AgentProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * This machine as a kubeadm node whose kubelet is staticlet: the agent installed with
 * {@code deploy/install-as-kubelet.sh} into a scratch root (its {@code /usr/bin/kubelet},
 * {@code kubelet.service} and kubeadm's drop-in), and kubeadm run with a {@code systemctl} shim
 * first on its PATH that starts that unit as systemd would (systemd is not PID 1 here), plus a
 * {@code docker} shim that keeps {@code kubeadm reset} to this node's containers on a shared machine.
 *
 * <p>kubeadm writes the real {@code /etc/kubernetes}, {@code /var/lib/kubelet} and
 * {@code /var/lib/etcd}: the node refuses to start if any of them holds a cluster already, and
 * {@link #close()} resets and removes what was not there before.
 *
 * <p>Networking stays on the loopback interface. kubeadm refuses {@code 127.0.0.1} as the advertise
 * address: it takes a loopback address as "use the global unicast address of {@code lo}" and fails
 * with "unable to select an IP from lo network interface"
 * ({@code cmd/kubeadm/app/util/config/initconfiguration.go:119-129}). So the node adds one
 * documentation address ({@link #ADVERTISE}, RFC 5737 TEST-NET-2, never routed) to {@code lo} for
 * the test and removes it afterwards; the API server binds only that address, etcd, the
 * controller-manager and the scheduler listen on loopback addresses only, and the Node's address is
 * {@code 127.0.0.1}.
 */
final class KubeadmNode implements AutoCloseable {
  static final String ADVERTISE = System.getProperty("staticlet.kubeadm.address", "198.51.100.10");
  static final List<String> CONTROL_PLANE = List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");
  static final int[] KUBEADM_PORTS = {6443, 2379, 2380, 2381, 10248, 10250, 10257, 10259};
  private static final List<Path> KUBEADM_DIRS =
      List.of(Path.of("/etc/kubernetes"), Path.of("/var/lib/kubelet"), Path.of("/var/lib/etcd"));

  final String node;
  final Path work;
  final Path root;
  final Path state;
  final Path kubeadm;
  final Path config;
  private final Path shims;
  private final Map<Path, Boolean> existedBefore = new LinkedHashMap<>();
  private boolean addressAdded;

  KubeadmNode(Path work) throws IOException {
    this.work = work;
    this.root = work.resolve("root");
    this.state = work.resolve("shim-state");
    this.shims = work.resolve("bin");
    this.node = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
    this.kubeadm = Path.of(System.getProperty("staticlet.kubeadm",
        System.getProperty("user.home") + "/.cache/staticlet/kubernetes-v1.20.2/bin/kubeadm"));
    this.config = work.resolve("kubeadm.yaml");
  }

  /** Checks the machine, installs the agent as the kubelet, writes the shims and kubeadm's config. */
  KubeadmNode prepare() throws IOException {
    require(Files.isExecutable(kubeadm), "kubeadm v1.20.2 not found at " + kubeadm
        + " (deploy/controlplane/build-kube.sh builds it; or -Dstaticlet.kubeadm=...)");
    require("root".equals(System.getProperty("user.name")), "kubeadm init needs root");
    for (Path dir : KUBEADM_DIRS) {
      boolean exists = Files.exists(dir);
      existedBefore.put(dir, exists);
      require(!exists || isEmptyOrOnlyEmptyDirs(dir), dir + " is not empty: this machine looks like a real node; "
          + "the test does not touch it");
    }
    for (int port : KUBEADM_PORTS) {
      require(free(port), "port " + port + " is in use; kubeadm's control plane needs it");
    }
    run(List.of(AgentProcess.repo().resolve("deploy/images/build-kubeadm-images.sh").toString()), 600);
    Files.createDirectories(state);
    Files.createDirectories(shims);
    run(List.of(AgentProcess.repo().resolve("deploy/install-as-kubelet.sh").toString(), "--root", root.toString(),
        "--jar", AgentProcess.jar().toString()), 60);
    for (String shim : List.of("systemctl", "docker")) {
      try (InputStream in = getClass().getResourceAsStream(shim)) {
        Path target = shims.resolve(shim);
        Files.copy(in, target);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
    Files.writeString(config, """
        apiVersion: kubeadm.k8s.io/v1beta2
        kind: InitConfiguration
        localAPIEndpoint:
          advertiseAddress: %1$s
          bindPort: 6443
        nodeRegistration:
          criSocket: /var/run/dockershim.sock
          kubeletExtraArgs:
            node-ip: 127.0.0.1
            root-dir: %2$s
        ---
        apiVersion: kubeadm.k8s.io/v1beta2
        kind: ClusterConfiguration
        kubernetesVersion: v1.20.2
        apiServer:
          extraArgs:
            bind-address: %1$s
            endpoint-reconciler-type: none
        """.formatted(ADVERTISE, work.resolve("agent-root")));
    if (!run(List.of("ip", "-4", "addr", "show", "dev", "lo"), 10).contains(" " + ADVERTISE + "/")) {
      run(List.of("ip", "addr", "add", ADVERTISE + "/32", "dev", "lo"), 10);
      addressAdded = true;
    }
    reset();
    return this;
  }

  /** Runs kubeadm with the shims first on its PATH; returns its exit code and output. */
  Result kubeadm(long timeoutSeconds, String... args) {
    List<String> cmd = new ArrayList<>(List.of(kubeadm.toString()));
    cmd.addAll(List.of(args));
    return exec(cmd, timeoutSeconds);
  }

  /** The {@code systemctl} shim, as kubeadm calls it. */
  Result systemctl(String... args) {
    List<String> cmd = new ArrayList<>(List.of(shims.resolve("systemctl").toString()));
    cmd.addAll(List.of(args));
    return exec(cmd, 60);
  }

  /** The agent's pid while the shim runs it. */
  long agentPid() throws IOException {
    return Long.parseLong(Files.readString(state.resolve("kubelet.pid")).strip());
  }

  String agentLog() {
    try {
      return Files.exists(state.resolve("kubelet.log")) ? Files.readString(state.resolve("kubelet.log")) : "";
    } catch (IOException e) {
      return "(cannot read the agent log: " + e + ")";
    }
  }

  void reset() {
    systemctl("stop", "kubelet");
    kubeadm(240, "reset", "-f");
  }

  @Override
  public void close() throws IOException {
    reset();
    if (addressAdded) {
      run(List.of("ip", "addr", "del", ADVERTISE + "/32", "dev", "lo"), 10);
    }
    for (Map.Entry<Path, Boolean> dir : existedBefore.entrySet()) {
      if (!dir.getValue()) {
        deleteTree(dir.getKey());
      }
    }
    deleteTree(work);
  }

  record Result(int exitCode, String output) {}

  private Result exec(List<String> cmd, long timeoutSeconds) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      Map<String, String> env = pb.environment();
      env.put("PATH", shims + ":" + root.resolve("usr/bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
      env.put("SHIM_ROOT", root.toString());
      env.put("SHIM_STATE", state.toString());
      env.put("SHIM_NODE", node);
      env.put("SHIM_REAL_DOCKER", which("docker"));
      env.remove("KUBECONFIG");
      Path out = Files.createTempFile(work, "exec-", ".out");
      Process p = pb.redirectOutput(out.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        return new Result(-1, Files.readString(out) + "\n(killed after " + timeoutSeconds + " s)");
      }
      String output = Files.readString(out);
      Files.delete(out);
      return new Result(p.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String run(List<String> cmd, long timeoutSeconds) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", cmd) + " failed:\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String which(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name).toString();
      }
    }
    throw new IllegalStateException(name + " not found on PATH");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isEmptyOrOnlyEmptyDirs(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.allMatch(Files::isDirectory);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }
}
