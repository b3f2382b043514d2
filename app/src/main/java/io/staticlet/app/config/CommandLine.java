package io.staticlet.app.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The kubelet-style flags, declared for picocli. {@link #toConfig()} merges them with {@code --config}. */
@Command(
    name = "staticlet",
    mixinStandardHelpOptions = true,
    versionProvider = StaticletVersion.class,
    sortOptions = false,
    description = "Runs the static pods of a manifest directory on the local Docker engine and, with "
        + "--kubeconfig, publishes them to a Kubernetes cluster as read-only mirror pods.")
public final class CommandLine {
  @Option(names = "--pod-manifest-path", paramLabel = "PATH",
      description = "Directory (or single file) of static Pod manifests (KubeletConfiguration staticPodPath).")
  Path podManifestPath;

  @Option(names = "--config", paramLabel = "FILE", description = "A KubeletConfiguration YAML file; flags override it.")
  Path config;

  @Option(names = "--hostname-override", paramLabel = "NAME", description = "Node name instead of the host name.")
  String hostnameOverride;

  @Option(names = "--root-dir", paramLabel = "DIR", defaultValue = "/var/lib/staticlet",
      description = "Agent state (emptyDir volumes, termination messages). Default: ${DEFAULT-VALUE}.")
  Path rootDir;

  @Option(names = "--container-runtime-endpoint", paramLabel = "URL", defaultValue = "unix:///var/run/docker.sock",
      description = "Docker engine endpoint. Default: ${DEFAULT-VALUE}.")
  String containerRuntimeEndpoint;

  @Option(names = "--pod-infra-container-image", paramLabel = "IMAGE", defaultValue = "registry.k8s.io/pause:3.10",
      description = "Sandbox (pause) image. Default: ${DEFAULT-VALUE}.")
  String podInfraContainerImage;

  @Option(names = "--file-check-frequency", paramLabel = "DURATION",
      description = "Periodic re-list of the manifest path (default 20s).")
  String fileCheckFrequency;

  @Option(names = "--sync-frequency", paramLabel = "DURATION", description = "Resync of each running pod (default 1m).")
  String syncFrequency;

  @Option(names = "--healthz-port", paramLabel = "PORT", description = "Port of /healthz (default 10248; 0 disables).")
  Integer healthzPort;

  @Option(names = "--healthz-bind-address", paramLabel = "IP", description = "Address of /healthz (default 127.0.0.1).")
  String healthzBindAddress;

  @Option(names = "--read-only-port", paramLabel = "PORT",
      description = "Port of the read-only API (/pods, /healthz, /metrics). Default 10255; 0 when "
          + "--config is given and does not set readOnlyPort, like the kubelet.")
  Integer readOnlyPort;

  @Option(names = "--address", paramLabel = "IP", description = "Address of the read-only API (default 0.0.0.0).")
  String address;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "Join the cluster of this kubeconfig: register the Node, renew its Lease, publish mirror pods. "
          + "Without it the agent runs standalone.")
  Path kubeconfig;

  @Option(names = "--register-node", paramLabel = "BOOL", defaultValue = "true", arity = "1",
      description = "Register the Node object (default ${DEFAULT-VALUE}); false publishes mirrors for an existing Node.")
  boolean registerNode;

  @Option(names = "--reregister-node", paramLabel = "BOOL", defaultValue = "true", arity = "1",
      description = "Register the Node again if it is deleted while the agent runs (default ${DEFAULT-VALUE}).")
  boolean reregisterNode;

  @Option(names = "--node-ip", paramLabel = "IP", description = "The node's InternalIP (default: the default route's address).")
  String nodeIp;

  @Option(names = "--sync-workers", paramLabel = "N", defaultValue = "8",
      description = "Pods synced in parallel (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--oom-score-adj", paramLabel = "N",
      description = "The agent's own oom_score_adj, in [-1000, 1000] (default -999, like the kubelet).")
  public Integer oomScoreAdj;

  @Option(names = "--v", paramLabel = "LEVEL", defaultValue = "0",
      description = "Log verbosity like the kubelet's: 0-3 INFO, 4 and more DEBUG (default ${DEFAULT-VALUE}).")
  public int verbosity;

  /** Merges flags over the config file and validates; throws {@link ConfigException} naming the flag or field. */
  public AgentConfig toConfig() {
    KubeletConfigFile file = config == null ? null : KubeletConfigFile.read(config);
    Path manifests = podManifestPath != null ? podManifestPath.toAbsolutePath().normalize()
        : file != null ? file.staticPodPath() : null;
    if (manifests == null) {
      throw new ConfigException("--pod-manifest-path (or staticPodPath in --config) is required: "
          + "staticlet runs the static pods of that directory");
    }
    Duration fileCheck = pick(fileCheckFrequency, "--file-check-frequency",
        file == null ? null : file.fileCheckFrequency(), Duration.ofSeconds(20));
    Duration sync = pick(syncFrequency, "--sync-frequency", file == null ? null : file.syncFrequency(), Duration.ofMinutes(1));
    int healthz = healthzPort != null ? healthzPort : file != null && file.healthzPort() != null ? file.healthzPort() : 10248;
    int readOnly = readOnlyPort != null ? readOnlyPort
        : file != null ? (file.readOnlyPort() != null ? file.readOnlyPort() : 0) : 10255;
    checkPort("--healthz-port", healthz);
    checkPort("--read-only-port", readOnly);
    if (kubeconfig != null && !Files.isRegularFile(kubeconfig)) {
      throw new ConfigException("--kubeconfig " + kubeconfig + ": file does not exist");
    }
    int oomScore = oomScoreAdj != null ? oomScoreAdj
        : file != null && file.oomScoreAdj() != null ? file.oomScoreAdj() : -999;
    if (oomScore < -1000 || oomScore > 1000) {
      throw new ConfigException("--oom-score-adj: expected -1000 to 1000, got " + oomScore);
    }
    if (workers < 1 || workers > 64) {
      throw new ConfigException("--sync-workers: expected 1-64, got " + workers);
    }
    return new AgentConfig(
        manifests,
        NodeNames.resolve(hostnameOverride),
        rootDir.toAbsolutePath().normalize(),
        containerRuntimeEndpoint,
        podInfraContainerImage,
        fileCheck,
        sync,
        firstNonBlank(healthzBindAddress, file == null ? null : file.healthzBindAddress(), "127.0.0.1"),
        healthz,
        firstNonBlank(address, file == null ? null : file.address(), "0.0.0.0"),
        readOnly,
        kubeconfig == null ? null : kubeconfig.toAbsolutePath().normalize(),
        registerNode,
        reregisterNode,
        nodeIp == null ? "" : nodeIp,
        workers,
        oomScore);
  }

  private static Duration pick(String flag, String flagName, Duration fromFile, Duration fallback) {
    if (flag != null) {
      try {
        return positive(flagName, GoDuration.parse(flag));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(flagName + ": " + e.getMessage());
      }
    }
    return fromFile != null ? positive(flagName, fromFile) : fallback;
  }

  private static Duration positive(String name, Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw new ConfigException(name + ": must be greater than zero");
    }
    return d;
  }

  private static void checkPort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new ConfigException(name + ": expected a port number 0-65535, got " + port);
    }
  }

  private static String firstNonBlank(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    return "";
  }
}
