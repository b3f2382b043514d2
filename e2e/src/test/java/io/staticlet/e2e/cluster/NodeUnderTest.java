package io.staticlet.e2e.cluster;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.staticlet.testkit.AgentProcess;
import io.staticlet.testkit.ApiClient;
import io.staticlet.testkit.ControlPlane;
import io.staticlet.testkit.DockerCli;
import io.staticlet.testkit.Kubectl;
import io.staticlet.testkit.Manifests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionFactory;

/**
 * One test's node: a unique node name, its manifest directory, the built agent joined to the shared
 * control plane with that node's own credentials ({@code system:node:<name>}), and readers for what
 * a user sees through kubectl, the API and {@code docker ps}. {@link #close()} stops the agent,
 * prints its log (kept in the failsafe report), removes its containers and deletes its Node.
 */
final class NodeUnderTest implements AutoCloseable {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  final ControlPlane cp;
  final String node;
  final Path manifests;
  final AgentProcess agent;
  private final ApiClient admin;

  private NodeUnderTest(ControlPlane cp, String node, Path manifests, AgentProcess agent) {
    this.cp = cp;
    this.node = node;
    this.manifests = manifests;
    this.agent = agent;
    this.admin = cp.adminApi();
  }

  /** A node with a fresh name whose agent is not started yet. */
  static NodeUnderTest create(ControlPlane cp, Path work, String... extraArgs) {
    String node = "e2e-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    try {
      Path manifests = Files.createDirectories(work.resolve("manifests"));
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--kubeconfig",
                  cp.nodeKubeconfig(node).toString(),
                  "--file-check-frequency",
                  "2s"));
      args.addAll(List.of(extraArgs));
      return new NodeUnderTest(cp, node, manifests, new AgentProcess(node, manifests, work, args));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A node with a fresh name whose agent gets exactly {@code credentialArgs.apply(node)} (no node
   * kubeconfig is made).
   */
  static NodeUnderTest withCredentials(
      ControlPlane cp, Path work, Function<String, List<String>> credentialArgs) {
    String node =
        "e2e-certs-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    try {
      Path manifests = Files.createDirectories(work.resolve("manifests"));
      List<String> args = new ArrayList<>(credentialArgs.apply(node));
      args.addAll(List.of("--file-check-frequency", "2s", "--node-ip", "127.0.0.1"));
      return new NodeUnderTest(cp, node, manifests, new AgentProcess(node, manifests, work, args));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts the agent; {@link #close()} stops it even if this throws (e.g. /healthz never said ok).
   */
  void start() {
    agent.start();
  }

  static ConditionFactory within(Duration duration) {
    return await().atMost(duration).pollInterval(Duration.ofMillis(100));
  }

  String podName(String name) {
    return name + "-" + node;
  }

  /** Writes {@code <name>.yaml} with a container that runs until SIGTERM. */
  void runService(String name) {
    write(name, Manifests.service(name));
  }

  void write(String name, String manifest) {
    Manifests.write(manifests.resolve(name + ".yaml"), manifest);
  }

  void remove(String name) {
    try {
      Files.delete(manifests.resolve(name + ".yaml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Kubectl.Result kubectl(String... args) {
    return cp.kubectl(args);
  }

  /** The mirror pod as the API server has it (read as admin), if it exists. */
  Optional<Pod> mirror(String namespace, String podName) {
    ApiClient.Response r = admin.get("/api/v1/namespaces/" + namespace + "/pods/" + podName);
    if (r.status() == 404) {
      return Optional.empty();
    }
    if (r.status() != 200) {
      throw new AssertionError("GET pod " + namespace + "/" + podName + ": " + r);
    }
    return Optional.of(read(r.body(), Pod.class));
  }

  Optional<Pod> mirror(String name) {
    return mirror("default", podName(name));
  }

  Pod mirrorOrFail(String name) {
    return mirror(name)
        .orElseThrow(
            () -> new AssertionError("no mirror for " + podName(name) + "\n" + agent.log()));
  }

  Optional<Node> nodeObject() {
    ApiClient.Response r = admin.get("/api/v1/nodes/" + node);
    return r.status() == 404 ? Optional.empty() : Optional.of(read(r.body(), Node.class));
  }

  /** The mirror exists, is not being deleted, and says 1/1 ready and Running. */
  static boolean runningAndReady(Optional<Pod> mirror) {
    if (mirror.isEmpty() || mirror.get().getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    Pod p = mirror.get();
    return p.getStatus() != null
        && "Running".equals(p.getStatus().getPhase())
        && p.getStatus().getContainerStatuses() != null
        && !p.getStatus().getContainerStatuses().isEmpty()
        && p.getStatus().getContainerStatuses().stream()
            .allMatch(c -> Boolean.TRUE.equals(c.getReady()));
  }

  /**
   * IDs of the running app (non-sandbox) containers of one pod: a single {@code docker ps}, cheap
   * to poll.
   */
  Set<String> runningAppContainers(String name) {
    return DockerCli.run(
            "ps",
            "--no-trunc",
            "--format",
            "{{.ID}}",
            "--filter",
            "label=io.kubernetes.pod.name=" + podName(name),
            "--filter",
            "label=io.kubernetes.docker.type=container")
        .lines()
        .filter(l -> !l.isBlank())
        .collect(Collectors.toSet());
  }

  static Set<String> containerIds(Pod mirror) {
    return mirror.getStatus().getContainerStatuses().stream()
        .map(ContainerStatus::getContainerID)
        .map(id -> id.replaceFirst("^docker://", ""))
        .collect(Collectors.toSet());
  }

  static int restarts(Pod mirror) {
    return mirror.getStatus().getContainerStatuses().stream()
        .mapToInt(ContainerStatus::getRestartCount)
        .sum();
  }

  /** The parts of a mirror a failure message needs. */
  static String summary(Pod p) {
    return "uid="
        + p.getMetadata().getUid()
        + " deleting="
        + (p.getMetadata().getDeletionTimestamp() != null)
        + " phase="
        + (p.getStatus() == null ? null : p.getStatus().getPhase())
        + " conditions="
        + (p.getStatus() == null
            ? null
            : p.getStatus().getConditions().stream()
                .map(c -> c.getType() + "=" + c.getStatus())
                .toList())
        + " containers="
        + (p.getStatus() == null || p.getStatus().getContainerStatuses() == null
            ? null
            : p.getStatus().getContainerStatuses().stream()
                .map(
                    c ->
                        c.getName()
                            + "/"
                            + c.getContainerID()
                            + "/ready="
                            + c.getReady()
                            + "/restarts="
                            + c.getRestartCount())
                .toList());
  }

  static String uid(Pod pod) {
    return pod.getMetadata().getUid();
  }

  static <T> T read(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + type.getSimpleName() + ": " + json, e);
    }
  }

  @Override
  public void close() {
    try {
      agent.close();
      System.out.println("==== agent log of node " + node + " ====\n" + agent.log());
    } finally {
      DockerCli.removeNode(node);
      cp.kubectl("delete", "node", node, "--wait=false", "--ignore-not-found");
    }
  }
}
