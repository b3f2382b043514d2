package io.staticlet.docker;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.runtime.ContainerLaunch;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.ContainerSpec;
import io.staticlet.core.runtime.LifecycleHandler;
import io.staticlet.core.runtime.SandboxSpec;
import io.staticlet.core.runtime.TerminationMessagePolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The label scheme on Docker containers: the kubelet's ({@code kuberuntime/labels.go} and
 * dockershim), so that a restarted agent can adopt and stop containers from labels alone
 * (DECISIONS.md 11), plus staticlet's own {@code io.staticlet.*} labels.
 */
public final class DockerLabels {
  public static final String POD_NAME = "io.kubernetes.pod.name";
  public static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
  public static final String POD_UID = "io.kubernetes.pod.uid";
  public static final String CONTAINER_NAME = "io.kubernetes.container.name";
  public static final String DOCKER_TYPE = "io.kubernetes.docker.type";
  public static final String DOCKER_TYPE_SANDBOX = "podsandbox";
  public static final String DOCKER_TYPE_CONTAINER = "container";
  public static final String SANDBOX_ID = "io.kubernetes.sandbox.id";
  public static final String LOG_PATH = "io.kubernetes.container.logpath";

  /** Prefix under which dockershim stores CRI annotations as labels. */
  public static final String ANNOTATION_PREFIX = "annotation.";

  public static final String CONTAINER_HASH = ANNOTATION_PREFIX + "io.kubernetes.container.hash";
  public static final String RESTART_COUNT =
      ANNOTATION_PREFIX + "io.kubernetes.container.restartCount";
  public static final String TERMINATION_MESSAGE_PATH =
      ANNOTATION_PREFIX + "io.kubernetes.container.terminationMessagePath";
  public static final String TERMINATION_MESSAGE_POLICY =
      ANNOTATION_PREFIX + "io.kubernetes.container.terminationMessagePolicy";
  public static final String GRACE_PERIOD =
      ANNOTATION_PREFIX + "io.kubernetes.pod.terminationGracePeriod";
  public static final String PRE_STOP =
      ANNOTATION_PREFIX + "io.kubernetes.container.preStopHandler";
  public static final String PORTS = ANNOTATION_PREFIX + "io.kubernetes.container.ports";

  /** Marks everything staticlet created; {@code listManaged} and the event stream filter on it. */
  public static final String MANAGED = "io.staticlet.managed";

  /**
   * The node whose agent created the container. The kubelet assumes one node per engine; staticlet
   * scopes everything it lists and watches to its own node so that several agents (tests, e2e, a
   * node renamed by mistake) sharing one engine never treat each other's pods as orphans.
   */
  public static final String NODE = "io.staticlet.node";

  /**
   * {@code sandbox}, {@code init} or {@code app}: init vs app cannot be told from kubelet labels.
   */
  public static final String ROLE = "io.staticlet.container.role";

  private static final String LOG_ROOT = "/var/log/pods";

  private DockerLabels() {}

  /** Sandbox: pod labels, identity, every pod annotation as {@code annotation.<key>}. */
  static Map<String, String> forSandbox(SandboxSpec sandbox, String nodeName) {
    Map<String, String> labels = new LinkedHashMap<>(sandbox.labels());
    sandbox.annotations().forEach((k, v) -> labels.put(ANNOTATION_PREFIX + k, v));
    putIdentity(labels, sandbox.pod(), sandbox.podUid(), DockerNames.SANDBOX_CONTAINER_NAME);
    labels.put(DOCKER_TYPE, DOCKER_TYPE_SANDBOX);
    putStaticlet(labels, ContainerRole.SANDBOX, nodeName);
    return labels;
  }

  /**
   * Init or app container: identity, sandbox, log path and what is needed to stop it without the
   * spec.
   */
  static Map<String, String> forContainer(ContainerLaunch launch, String nodeName) {
    ContainerSpec spec = launch.spec();
    Map<String, String> labels = new LinkedHashMap<>();
    putIdentity(labels, launch.pod(), launch.podUid(), spec.name());
    labels.put(DOCKER_TYPE, DOCKER_TYPE_CONTAINER);
    labels.put(SANDBOX_ID, launch.sandboxId());
    labels.put(LOG_PATH, logPath(launch.pod(), launch.podUid(), spec.name(), launch.attempt()));
    labels.put(CONTAINER_HASH, spec.hash());
    labels.put(RESTART_COUNT, Integer.toString(launch.attempt()));
    labels.put(TERMINATION_MESSAGE_PATH, spec.terminationMessagePath());
    labels.put(TERMINATION_MESSAGE_POLICY, spec.terminationMessagePolicy().kubernetesName());
    labels.put(GRACE_PERIOD, Long.toString(launch.gracePeriod().toSeconds()));
    spec.preStop().ifPresent(handler -> labels.put(PRE_STOP, PreStopLabel.write(handler)));
    if (!spec.ports().isEmpty()) {
      labels.put(PORTS, ModelJson.write(spec.ports().stream().map(DockerLabels::port).toList()));
    }
    putStaticlet(labels, launch.role(), nodeName);
    return labels;
  }

  private static ContainerPort port(ContainerSpec.Port p) {
    return new ContainerPortBuilder()
        .withName(p.name().isEmpty() ? null : p.name())
        .withContainerPort(p.containerPort())
        .withProtocol(p.protocol())
        .withHostPort(p.hostPort() > 0 ? p.hostPort() : null)
        .withHostIP(p.hostIp().isEmpty() ? null : p.hostIp())
        .build();
  }

  static String logPath(PodKey pod, String podUid, String container, int attempt) {
    return LOG_ROOT
        + "/"
        + pod.namespace()
        + "_"
        + pod.name()
        + "_"
        + podUid
        + "/"
        + container
        + "/"
        + attempt
        + ".log";
  }

  /**
   * Reads the labels of a managed container back. Empty when the identity labels are missing (not
   * something staticlet created, or tampered with).
   */
  static Optional<ManagedLabels> read(Map<String, String> labels, String dockerName) {
    if (labels == null) {
      return Optional.empty();
    }
    String name = labels.get(POD_NAME);
    String namespace = labels.get(POD_NAMESPACE);
    String uid = labels.get(POD_UID);
    String container = labels.get(CONTAINER_NAME);
    if (isBlank(name) || isBlank(namespace) || isBlank(uid) || isBlank(container)) {
      return Optional.empty();
    }
    ContainerRole role = role(labels);
    Optional<DockerNames.Parsed> parsedName = DockerNames.parse(dockerName);
    int attempt =
        role == ContainerRole.SANDBOX
            ? parsedName.map(DockerNames.Parsed::attempt).orElse(0)
            : parseInt(labels.get(RESTART_COUNT))
                .orElseGet(() -> parsedName.map(DockerNames.Parsed::attempt).orElse(0));
    Duration grace = parseLong(labels.get(GRACE_PERIOD)).map(Duration::ofSeconds).orElse(null);
    return Optional.of(
        new ManagedLabels(
            new PodKey(namespace, name),
            uid,
            container,
            role,
            attempt,
            nullToEmpty(labels.get(SANDBOX_ID)),
            grace,
            PreStopLabel.read(labels.get(PRE_STOP), container),
            nullToEmpty(labels.get(TERMINATION_MESSAGE_PATH)),
            TerminationMessagePolicy.of(labels.get(TERMINATION_MESSAGE_POLICY)),
            nullToEmpty(labels.get(CONTAINER_HASH))));
  }

  static ContainerRole role(Map<String, String> labels) {
    String role = labels.get(ROLE);
    if (role != null) {
      switch (role.toLowerCase(Locale.ROOT)) {
        case "sandbox":
          return ContainerRole.SANDBOX;
        case "init":
          return ContainerRole.INIT;
        case "app":
          return ContainerRole.APP;
        default:
          break;
      }
    }
    return DOCKER_TYPE_SANDBOX.equals(labels.get(DOCKER_TYPE))
        ? ContainerRole.SANDBOX
        : ContainerRole.APP;
  }

  static String roleValue(ContainerRole role) {
    return role.name().toLowerCase(Locale.ROOT);
  }

  private static void putIdentity(
      Map<String, String> labels, PodKey pod, String podUid, String container) {
    labels.put(POD_NAME, pod.name());
    labels.put(POD_NAMESPACE, pod.namespace());
    labels.put(POD_UID, podUid);
    labels.put(CONTAINER_NAME, container);
  }

  private static void putStaticlet(
      Map<String, String> labels, ContainerRole role, String nodeName) {
    labels.put(MANAGED, "true");
    labels.put(NODE, nodeName);
    labels.put(ROLE, roleValue(role));
  }

  /** The label filter selecting what this node's agent manages (Docker ANDs label filters). */
  static Map<String, String> managedBy(String nodeName) {
    return Map.of(MANAGED, "true", NODE, nodeName);
  }

  private static Optional<Integer> parseInt(String value) {
    try {
      return value == null ? Optional.empty() : Optional.of(Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<Long> parseLong(String value) {
    try {
      return value == null ? Optional.empty() : Optional.of(Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  /**
   * What the labels of one managed container say.
   *
   * @param attempt sandbox attempt or container restart count
   * @param gracePeriod {@code null} when not recorded (sandboxes)
   */
  record ManagedLabels(
      PodKey pod,
      String podUid,
      String containerName,
      ContainerRole role,
      int attempt,
      String sandboxId,
      Duration gracePeriod,
      Optional<LifecycleHandler> preStop,
      String terminationMessagePath,
      TerminationMessagePolicy terminationMessagePolicy,
      String hash) {}
}
