package io.staticlet.e2e.kubeadm;

import io.staticlet.e2e.support.NetworkNamespace;
import io.staticlet.e2e.support.PrivateDockerd;
import io.staticlet.testkit.Command;
import io.staticlet.testkit.CommandResult;
import io.staticlet.testkit.Commands;
import io.staticlet.testkit.Kubectl;
import io.staticlet.testkit.Repo;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * This machine as a kubeadm node whose kubelet is staticlet: the agent installed with {@code
 * deploy/install-as-kubelet.sh} into a scratch root (its {@code /usr/bin/kubelet}, {@code
 * kubelet.service} and kubeadm's drop-in), and kubeadm run with a {@code systemctl} shim first on
 * its PATH that starts that unit as systemd would (systemd is not PID 1 here), plus a {@code
 * docker} shim that points kubeadm's {@code docker} calls at the node's own engine.
 *
 * <p>kubeadm writes the real {@code /etc/kubernetes}, {@code /var/lib/kubelet} and {@code
 * /var/lib/etcd}: the node refuses to start if any of them holds a cluster already, and {@link
 * #close()} resets and removes what was not there before.
 *
 * <p>The node's network is a network namespace the test makes ({@link NetworkNamespace}), never the
 * host's. kubeadm refuses {@code 127.0.0.1} as the advertise address: it takes a loopback address
 * as "use the global unicast address of {@code lo}" and fails with "unable to select an IP from lo
 * network interface" ({@code cmd/kubeadm/app/util/config/initconfiguration.go:119-129}). So the
 * namespace's {@code lo} gets one documentation address ({@link #ADVERTISE}, RFC 5737 TEST-NET-2),
 * which exists in that namespace only. The control-plane pods are hostNetwork: they join the
 * network namespace of the engine that runs them, so the node has its own dockerd ({@link
 * PrivateDockerd}, {@code --bridge=none}) started inside the namespace, with the images loaded from
 * the shared engine. kubeadm, the agent (through the {@code systemctl} shim), kubectl and the
 * {@code docker} shim all run inside the namespace and use that engine; only the network namespace
 * differs, the files are the host's. The Node's address is {@code 127.0.0.1}.
 */
final class KubeadmNode implements AutoCloseable {
  static final String ADVERTISE = System.getProperty("staticlet.kubeadm.address", "198.51.100.10");
  static final List<String> CONTROL_PLANE =
      List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");

  /**
   * The images kubeadm's pods run (deploy/images/build-kubeadm-images.sh), loaded into the node's
   * engine.
   */
  static final List<String> IMAGES =
      List.of(
          "k8s.gcr.io/kube-apiserver:v1.20.2",
          "k8s.gcr.io/kube-controller-manager:v1.20.2",
          "k8s.gcr.io/kube-scheduler:v1.20.2",
          "k8s.gcr.io/etcd:3.4.13-0",
          "k8s.gcr.io/pause:3.2",
          "registry.k8s.io/pause:3.10");

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
  private NetworkNamespace netns;
  private PrivateDockerd dockerd;

  KubeadmNode(Path work) throws IOException {
    this.work = work;
    this.root = work.resolve("root");
    this.state = work.resolve("shim-state");
    this.shims = work.resolve("bin");
    this.node = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
    this.kubeadm =
        Path.of(
            System.getProperty(
                "staticlet.kubeadm",
                System.getProperty("user.home")
                    + "/.cache/staticlet/kubernetes-v1.20.2/bin/kubeadm"));
    this.config = work.resolve("kubeadm.yaml");
  }

  /**
   * Checks the machine, installs the agent as the kubelet, writes the shims and kubeadm's config.
   */
  KubeadmNode prepare() throws IOException {
    require(
        Files.isExecutable(kubeadm),
        "kubeadm v1.20.2 not found at "
            + kubeadm
            + " (deploy/controlplane/build-kube.sh builds it; or -Dstaticlet.kubeadm=...)");
    require("root".equals(System.getProperty("user.name")), "kubeadm init needs root");
    for (Path dir : KUBEADM_DIRS) {
      boolean exists = Files.exists(dir);
      existedBefore.put(dir, exists);
      require(
          !exists || isEmptyOrOnlyEmptyDirs(dir),
          dir
              + " is not empty: this machine looks like a real node; "
              + "the test does not touch it");
    }
    run(List.of(Repo.root().resolve("deploy/images/build-kubeadm-images.sh").toString()), 600);
    netns = NetworkNamespace.create("staticlet-kubeadm-");
    netns.run("ip", "addr", "add", ADVERTISE + "/32", "dev", "lo");
    dockerd = PrivateDockerd.start(work.resolve("engine"), netns.enter(), List.of("--bridge=none"));
    dockerd.load(IMAGES);
    Files.createDirectories(state);
    Files.createDirectories(shims);
    run(
        List.of(
            Repo.root().resolve("deploy/install-as-kubelet.sh").toString(),
            "--root",
            root.toString(),
            "--jar",
            Repo.agentJar().toString()),
        60);
    for (String shim : List.of("systemctl", "docker")) {
      try (InputStream in = getClass().getResourceAsStream(shim)) {
        Path target = shims.resolve(shim);
        Files.copy(in, target);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
    Files.writeString(
        config,
        """
        apiVersion: kubeadm.k8s.io/v1beta2
        kind: InitConfiguration
        localAPIEndpoint:
          advertiseAddress: %1$s
          bindPort: 6443
        nodeRegistration:
          criSocket: /var/run/dockershim.sock
          kubeletExtraArgs:
            container-runtime-endpoint: %3$s
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
        """
            .formatted(ADVERTISE, work.resolve("agent-root"), dockerd.host()));
    Path kubectl = shims.resolve("kubectl-in-netns");
    Files.writeString(
        kubectl,
        "#!/bin/sh\nexec "
            + String.join(" ", netns.enter())
            + " "
            + Kubectl.find().orElseThrow()
            + " \"$@\"\n");
    Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwxr-xr-x"));
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

  /** kubectl on {@code kubeconfig}, run inside the node's network namespace. */
  Kubectl kubectl(Path kubeconfig) {
    return Kubectl.withBinary(shims.resolve("kubectl-in-netns"), kubeconfig);
  }

  /** The node's own engine. */
  PrivateDockerd docker() {
    return dockerd;
  }

  String netnsName() {
    return netns == null ? "(none)" : netns.name();
  }

  /** The agent's pid while the shim runs it. */
  long agentPid() throws IOException {
    return Long.parseLong(Files.readString(state.resolve("kubelet.pid")).strip());
  }

  String agentLog() {
    try {
      return Files.exists(state.resolve("kubelet.log"))
          ? Files.readString(state.resolve("kubelet.log"))
          : "";
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
    try {
      if (dockerd != null) {
        reset();
      }
    } finally {
      systemctl("stop", "kubelet");
      if (dockerd != null) {
        dockerd.close();
      }
      if (netns != null) {
        netns.close();
      }
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
    List<String> inNetns = Command.prefixed(netns == null ? List.of() : netns.enter(), cmd);
    CommandResult r =
        Command.of(inNetns)
            .timeout(Duration.ofSeconds(timeoutSeconds))
            .mergeStderr()
            .without("KUBECONFIG")
            .environment(
                Map.of(
                    "PATH",
                        shims
                            + ":"
                            + root.resolve("usr/bin")
                            + ":"
                            + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                    "SHIM_ROOT", root.toString(),
                    "SHIM_STATE", state.toString(),
                    "SHIM_REAL_DOCKER", which("docker"),
                    "SHIM_DOCKER_HOST", dockerd == null ? "unix:///nonexistent" : dockerd.host()))
            .run();
    return new Result(
        r.exitCode(),
        r.timedOut() ? r.stdout() + "\n(killed after " + timeoutSeconds + " s)" : r.stdout());
  }

  static String run(List<String> cmd, long timeoutSeconds) {
    return Commands.run(cmd, Duration.ofSeconds(timeoutSeconds));
  }

  static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
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
