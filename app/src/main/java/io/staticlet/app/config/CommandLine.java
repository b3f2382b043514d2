package io.staticlet.app.config;

import io.staticlet.mirror.NodeRegistration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The kubelet's flags staticlet acts on, declared for picocli; every other kubelet 1.20 flag is
 * accepted and reported as not used ({@link KubeletArgs}). {@link #toConfig()} merges the flags
 * with {@code --config}.
 */
@Command(
    name = "staticlet",
    mixinStandardHelpOptions = true,
    versionProvider = StaticletVersion.class,
    sortOptions = false,
    description =
        "Runs the static pods of a manifest directory on the local Docker engine and, with "
            + "--kubeconfig, publishes them to a Kubernetes cluster as read-only mirror pods.")
public final class CommandLine {
  @Option(
      names = "--pod-manifest-path",
      paramLabel = "PATH",
      description =
          "Directory (or single file) of static Pod manifests (KubeletConfiguration staticPodPath).")
  Path podManifestPath;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "A KubeletConfiguration YAML file; flags override it.")
  Path config;

  @Option(
      names = "--hostname-override",
      paramLabel = "NAME",
      description = "Node name instead of the host name.")
  String hostnameOverride;

  @Option(
      names = "--root-dir",
      paramLabel = "DIR",
      defaultValue = "/var/lib/staticlet",
      description =
          "Agent state (emptyDir volumes, termination messages). Default: ${DEFAULT-VALUE}.")
  Path rootDir;

  @Option(
      names = "--container-runtime-endpoint",
      paramLabel = "URL",
      description =
          "Docker engine endpoint (default "
              + RuntimeEndpoints.DOCKER_DEFAULT
              + "); it must speak the "
              + "Docker Engine API.")
  String containerRuntimeEndpoint;

  @Option(
      names = "--container-runtime",
      paramLabel = "docker|remote",
      description =
          "As the kubelet 1.20: 'docker' (its default) talks to --docker-endpoint, 'remote' to "
              + "--container-runtime-endpoint. Either way the engine must be Docker.")
  String containerRuntime;

  @Option(
      names = "--docker-endpoint",
      paramLabel = "URL",
      description =
          "The Docker engine when --container-runtime=docker (default "
              + RuntimeEndpoints.DOCKER_DEFAULT
              + ").")
  String dockerEndpoint;

  @Option(
      names = "--pod-infra-container-image",
      paramLabel = "IMAGE",
      defaultValue = "registry.k8s.io/pause:3.10",
      description = "Sandbox (pause) image. Default: ${DEFAULT-VALUE}.")
  String podInfraContainerImage;

  @Option(
      names = "--file-check-frequency",
      paramLabel = "DURATION",
      description = "Periodic re-list of the manifest path (default 20s).")
  String fileCheckFrequency;

  @Option(
      names = "--sync-frequency",
      paramLabel = "DURATION",
      description = "Resync of each running pod (default 1m).")
  String syncFrequency;

  @Option(
      names = "--healthz-port",
      paramLabel = "PORT",
      description = "Port of /healthz (default 10248; 0 disables).")
  Integer healthzPort;

  @Option(
      names = "--healthz-bind-address",
      paramLabel = "IP",
      description = "Address of /healthz (default 127.0.0.1).")
  String healthzBindAddress;

  @Option(
      names = "--read-only-port",
      paramLabel = "PORT",
      description =
          "Port of the read-only API (/pods, /healthz, /metrics). Default 10255; 0 when "
              + "--config is given and does not set readOnlyPort, like the kubelet.")
  Integer readOnlyPort;

  @Option(
      names = "--address",
      paramLabel = "IP",
      description = "Address of the kubelet API and the read-only API (default 0.0.0.0).")
  String address;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Join the cluster of this kubeconfig: register the Node, renew its Lease, publish mirror pods. "
              + "Without it the agent runs standalone.")
  Path kubeconfig;

  @Option(
      names = "--bootstrap-kubeconfig",
      paramLabel = "FILE",
      description =
          "When --kubeconfig is missing or unusable, obtain a client certificate with these (bootstrap "
              + "token) credentials through a CSR and write --kubeconfig pointing at it (TLS bootstrap).")
  Path bootstrapKubeconfig;

  @Option(
      names = "--cert-dir",
      paramLabel = "DIR",
      description =
          "Where the client certificate is kept (kubelet-client-current.pem). Default: <root-dir>/pki.")
  Path certDir;

  @Option(
      names = "--rotate-certificates",
      paramLabel = "BOOL",
      arity = "0..1",
      fallbackValue = "true",
      description =
          "Renew the client certificate before it expires (KubeletConfiguration rotateCertificates; default false).")
  Boolean rotateCertificates;

  @Option(
      names = "--register-node",
      paramLabel = "BOOL",
      defaultValue = "true",
      arity = "0..1",
      fallbackValue = "true",
      description =
          "Register the Node object (default ${DEFAULT-VALUE}); false publishes mirrors for an existing Node.")
  boolean registerNode;

  @Option(
      names = "--node-labels",
      paramLabel = "KEY=VALUE,...",
      description =
          "Labels of the Node when it is registered (the kubelet's restrictions on kubernetes.io labels apply).")
  List<String> nodeLabels = new ArrayList<>();

  @Option(
      names = "--register-with-taints",
      paramLabel = "KEY[=VALUE]:EFFECT,...",
      description = "Taints of the Node when it is registered.")
  List<String> registerWithTaints = new ArrayList<>();

  @Option(
      names = "--max-pods",
      paramLabel = "N",
      description = "The Node's pod capacity (default 110).")
  Integer maxPods;

  @Option(
      names = "--node-status-update-frequency",
      paramLabel = "DURATION",
      description =
          "How often the node status is computed and, when changed, written (default 10s).")
  String nodeStatusUpdateFrequency;

  @Option(
      names = "--reregister-node",
      paramLabel = "BOOL",
      defaultValue = "true",
      arity = "0..1",
      fallbackValue = "true",
      description =
          "Register the Node again if it is deleted while the agent runs (default ${DEFAULT-VALUE}).")
  boolean reregisterNode;

  @Option(
      names = "--node-ip",
      paramLabel = "IP",
      description = "The node's InternalIP (default: the default route's address).")
  String nodeIp;

  @Option(
      names = "--sync-workers",
      paramLabel = "N",
      defaultValue = "8",
      description = "Pods synced in parallel (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--oom-score-adj",
      paramLabel = "N",
      description =
          "The agent's own oom_score_adj, in [-1000, 1000] (default -999, like the kubelet).")
  public Integer oomScoreAdj;

  @Mixin KubeletApiFlags kubeletApiFlags = new KubeletApiFlags();

  @Option(
      names = {"--v", "-v"},
      paramLabel = "LEVEL",
      defaultValue = "0",
      description =
          "Log verbosity like the kubelet's: 0-3 INFO, 4 and more DEBUG (default ${DEFAULT-VALUE}).")
  public int verbosity;

  /** The kubelet flags given that staticlet does not act on, set by {@link #parse}. */
  private List<String> flagsNotUsed = List.of();

  /**
   * Parses a kubelet command line into this object ({@code cli} must wrap it): kubelet flags
   * staticlet does not act on are accepted and remembered, unknown ones are refused by picocli.
   */
  public ParseResult parse(picocli.CommandLine cli, String... args) {
    Set<String> names = new HashSet<>();
    Set<String> booleans = new HashSet<>();
    for (OptionSpec option : cli.getCommandSpec().options()) {
      names.addAll(Arrays.asList(option.names()));
      if (option.arity().max() == 0
          || option.type() == boolean.class
          || option.type() == Boolean.class) {
        booleans.addAll(Arrays.asList(option.names()));
      }
    }
    KubeletArgs split = KubeletArgs.split(Arrays.asList(args), names, booleans);
    flagsNotUsed = split.acceptedNotUsed();
    return cli.parseArgs(split.forParser().toArray(String[]::new));
  }

  /** A parsed command line (tests and tools). */
  public static CommandLine parsed(String... args) {
    CommandLine flags = new CommandLine();
    flags.parse(new picocli.CommandLine(flags), args);
    return flags;
  }

  /**
   * Merges flags over the config file and validates; throws {@link ConfigException} naming the flag
   * or field.
   */
  public AgentConfig toConfig() {
    KubeletConfigFile file = config == null ? null : KubeletConfigFile.read(config);
    Path manifests =
        podManifestPath != null
            ? podManifestPath.toAbsolutePath().normalize()
            : file != null ? file.staticPodPath() : null;
    if (manifests == null) {
      throw new ConfigException(
          "--pod-manifest-path (or staticPodPath in --config) is required: "
              + "staticlet runs the static pods of that directory");
    }
    Duration fileCheck =
        pick(
            fileCheckFrequency,
            "--file-check-frequency",
            file == null ? null : file.fileCheckFrequency(),
            Duration.ofSeconds(20));
    Duration sync =
        pick(
            syncFrequency,
            "--sync-frequency",
            file == null ? null : file.syncFrequency(),
            Duration.ofMinutes(1));
    Duration statusUpdate =
        pick(
            nodeStatusUpdateFrequency,
            "--node-status-update-frequency",
            file == null ? null : file.nodeStatusUpdateFrequency(),
            Duration.ofSeconds(10));
    // v1beta1: an unset report frequency follows an explicitly set update frequency, else 5m
    Duration statusReport =
        file != null && file.nodeStatusReportFrequency() != null
            ? file.nodeStatusReportFrequency()
            : nodeStatusUpdateFrequency != null
                    || (file != null && file.nodeStatusUpdateFrequency() != null)
                ? statusUpdate
                : Duration.ofMinutes(5);
    int pods =
        maxPods != null ? maxPods : file != null && file.maxPods() != null ? file.maxPods() : 110;
    if (pods < 1) {
      throw new ConfigException("--max-pods: expected a positive number, got " + pods);
    }
    NodeRegistration registration =
        new NodeRegistration(
            NodeRegistrationFlags.labels(nodeLabels),
            NodeRegistrationFlags.taints(registerWithTaints),
            pods);
    Set<String> notUsed = new LinkedHashSet<>(flagsNotUsed);
    if (file != null) {
      file.acceptedNotUsed().forEach(field -> notUsed.add("config " + field));
    }
    int healthz =
        healthzPort != null
            ? healthzPort
            : file != null && file.healthzPort() != null ? file.healthzPort() : 10248;
    int readOnly =
        readOnlyPort != null
            ? readOnlyPort
            : file != null ? (file.readOnlyPort() != null ? file.readOnlyPort() : 0) : 10255;
    checkPort("--healthz-port", healthz);
    checkPort("--read-only-port", readOnly);
    if (bootstrapKubeconfig != null && kubeconfig == null) {
      throw new ConfigException(
          "--bootstrap-kubeconfig needs --kubeconfig: the file the obtained credentials are written to");
    }
    int oomScore =
        oomScoreAdj != null
            ? oomScoreAdj
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
        RuntimeEndpoints.engine(containerRuntime, containerRuntimeEndpoint, dockerEndpoint),
        podInfraContainerImage,
        fileCheck,
        sync,
        firstNonBlank(
            healthzBindAddress, file == null ? null : file.healthzBindAddress(), "127.0.0.1"),
        healthz,
        firstNonBlank(address, file == null ? null : file.address(), "0.0.0.0"),
        readOnly,
        kubeconfig == null ? null : kubeconfig.toAbsolutePath().normalize(),
        registerNode,
        reregisterNode,
        nodeIp == null ? "" : nodeIp,
        workers,
        oomScore,
        registration,
        statusUpdate,
        statusReport,
        file != null && file.nodeLeaseDurationSeconds() != null
            ? file.nodeLeaseDurationSeconds()
            : 40,
        List.copyOf(notUsed),
        file == null ? List.of() : file.unknownFields(),
        kubeletApiFlags.resolve(
            file == null ? KubeletApiConfig.flagDefaults() : file.kubeletApi(),
            kubeconfig != null,
            file == null ? null : file.raw()),
        file == null ? null : file.raw(),
        bootstrapKubeconfig == null ? null : bootstrapKubeconfig.toAbsolutePath().normalize(),
        (certDir != null ? certDir : rootDir.resolve("pki")).toAbsolutePath().normalize(),
        rotateCertificates != null
            ? rotateCertificates
            : file != null && file.rotateCertificates() != null && file.rotateCertificates());
  }

  /**
   * The flag, else the file's value, else the v1beta1 default; zero means the default (DECISIONS.md
   * 19).
   */
  private static Duration pick(String flag, String flagName, Duration fromFile, Duration fallback) {
    if (flag != null) {
      Duration d;
      try {
        d = GoDuration.parse(flag);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(flagName + ": " + e.getMessage());
      }
      if (d.isNegative()) {
        throw new ConfigException(flagName + ": must not be negative, got " + flag);
      }
      return d.isZero() ? fallback : d;
    }
    return fromFile != null ? fromFile : fallback;
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
