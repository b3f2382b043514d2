package io.staticlet.e2e.kubeadm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.staticlet.testkit.Kubectl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Acceptance of issue 10: real kubeadm v1.20.2 and real kubectl on a machine whose kubelet is
 * staticlet, started by (a shim of) systemd from kubeadm's drop-in with the files kubeadm wrote.
 * One test, in the order an operator goes: init, look, break the API server, restart the agent,
 * edit a manifest, reset.
 *
 * <p>Preflight: {@code kubeadm init --dry-run} runs every preflight check with none ignored (and
 * pulls nothing); the real {@code kubeadm init} then skips the preflight phase, because that phase
 * would try to pull the addon images {@code kube-proxy} and {@code coredns}, which no registry here
 * serves and no pod on this node runs (the control-plane images are local, built by
 * deploy/images/build-kubeadm-images.sh).
 *
 * <p>The node lives in a network namespace of the test's own, with its own dockerd (see {@link
 * KubeadmNode}): the host's network namespace never sees the advertise address, which the test
 * checks at the end.
 */
class KubeadmInitIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LONG = Duration.ofMinutes(4);
  private static final List<Path> KUBEADM_FILES =
      List.of(
          Path.of("/var/lib/kubelet/config.yaml"),
          Path.of("/var/lib/kubelet/kubeadm-flags.env"),
          Path.of("/etc/kubernetes/kubelet.conf"));

  private static KubeadmNode node;
  private static Kubectl kubectl;

  @BeforeAll
  static void prepare() throws IOException {
    node = new KubeadmNode(Files.createTempDirectory("staticlet-kubeadm-"));
    node.prepare();
  }

  @AfterAll
  static void cleanUp() throws IOException {
    if (node != null) {
      node.close();
      assertFalse(
          KubeadmNode.run(List.of("ip", "netns", "list"), 10).contains(node.netnsName()),
          "the test's network namespace is deleted");
    }
  }

  @Test
  void kubeadmInitHostsItsControlPlaneOnStaticlet() throws Exception {
    try {
      Instant t0 = Instant.now();
      initCompletesWithKubeadmsOwnFiles();
      Map<String, String> sums = checksums();
      Instant initialized = Instant.now();
      controlPlaneMirrorsAndTheNodeAreAsKubeadmMadeThem();
      killedApiServerIsRestartedAndTheMirrorCountsIt();
      agentKilledAndRestartedRestartsNoContainer();
      editedSchedulerManifestReplacesOnlyThatPod();
      assertEquals(sums, checksums(), "the agent changed none of the files kubeadm wrote");
      resetWithTheAgentStoppedLeavesNoContainer();
      theHostsLoopbackNeverHadTheAdvertiseAddress();
      System.out.printf(
          "kubeadm e2e: init %d s, whole test %d s%n",
          Duration.between(t0, initialized).toSeconds(),
          Duration.between(t0, Instant.now()).toSeconds());
    } catch (Throwable failure) {
      System.out.println(diagnostics());
      throw failure;
    }
  }

  private void initCompletesWithKubeadmsOwnFiles() {
    KubeadmNode.Result dryRun =
        node.kubeadm(240, "init", "--config", node.config.toString(), "--dry-run");
    assertEquals(0, dryRun.exitCode(), dryRun.output());
    assertFalse(
        dryRun.output().contains("[ERROR"),
        "every preflight check passes, none ignored:\n" + dryRun.output());

    KubeadmNode.Result init =
        node.kubeadm(400, "init", "--config", node.config.toString(), "--skip-phases=preflight");
    assertEquals(0, init.exitCode(), init.output());
    assertTrue(
        init.output().contains("Your Kubernetes control-plane has initialized successfully!"),
        init.output());
    assertTrue(node.systemctl("is-active", "kubelet").output().contains("active"));
    // the shim started the unit as systemd would: the drop-in's variables, kubeadm's files,
    // unchanged
    String started =
        node.agentLog()
            .lines()
            .filter(l -> l.contains("systemctl-shim: starting:"))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertTrue(
        started.contains(
            "/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf "
                + "--kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml --container-runtime-endpoint="
                + node.docker().host()
                + " --network-plugin=cni"),
        started);
    kubectl = node.kubectl(Path.of("/etc/kubernetes/admin.conf"));
  }

  private void controlPlaneMirrorsAndTheNodeAreAsKubeadmMadeThem() throws IOException {
    await("the four control-plane mirrors 1/1 Running")
        .atMost(LONG)
        .pollInterval(Duration.ofSeconds(2))
        .until(KubeadmInitIT::controlPlaneReady);
    String table = kubectl.run("get", "pods", "-n", "kube-system").orThrow().stdout();
    for (String c : KubeadmNode.CONTROL_PLANE) {
      assertTrue(
          table
              .lines()
              .anyMatch(l -> l.matches(c + "-" + node.node + "\\s+1/1\\s+Running\\s+0\\s+.*")),
          table);
    }
    for (String c : KubeadmNode.CONTROL_PLANE) {
      JsonNode pod = json("get", "pod", "-n", "kube-system", c + "-" + node.node);
      Map<String, String> manifestLabels = Map.of("component", c, "tier", "control-plane");
      assertEquals(
          manifestLabels,
          map(pod.path("metadata").path("labels")),
          c + " labels exactly as in the manifest");
      assertEquals("system-node-critical", pod.path("spec").path("priorityClassName").asText());
      assertEquals(2000001000, pod.path("spec").path("priority").asInt());
      assertEquals(
          "file",
          pod.path("metadata").path("annotations").path("kubernetes.io/config.source").asText());
    }
    assertEquals(
        KubeadmNode.ADVERTISE + ":6443",
        json("get", "pod", "-n", "kube-system", "kube-apiserver-" + node.node)
            .path("metadata")
            .path("annotations")
            .path("kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint")
            .asText());
    assertEquals(
        "https://" + KubeadmNode.ADVERTISE + ":2379",
        json("get", "pod", "-n", "kube-system", "etcd-" + node.node)
            .path("metadata")
            .path("annotations")
            .path("kubeadm.kubernetes.io/etcd.advertise-client-urls")
            .asText());

    await("the Node Ready")
        .atMost(LONG)
        .until(
            () ->
                kubectl
                    .run("get", "nodes")
                    .stdout()
                    .lines()
                    .anyMatch(
                        l -> l.matches(node.node + "\\s+Ready\\s+control-plane,master\\s+.*")));
    JsonNode n = json("get", "node", node.node);
    assertEquals(
        node.node, n.path("metadata").path("labels").path("kubernetes.io/hostname").asText());
    assertTrue(n.path("metadata").path("labels").has("node-role.kubernetes.io/master"));
    assertEquals(
        "node-role.kubernetes.io/master",
        n.path("spec").path("taints").path(0).path("key").asText());
    assertEquals("NoSchedule", n.path("spec").path("taints").path(0).path("effect").asText());
    assertEquals(
        "/var/run/dockershim.sock",
        n.path("metadata")
            .path("annotations")
            .path("kubeadm.alpha.kubernetes.io/cri-socket")
            .asText());
    assertEquals("127.0.0.1", n.path("status").path("addresses").path(0).path("address").asText());
  }

  private void killedApiServerIsRestartedAndTheMirrorCountsIt() {
    String apiserver = runningContainer("kube-apiserver");
    node.docker().docker("kill", apiserver);
    await("kube-apiserver restarted, kubectl answers, the mirror shows restartCount 1")
        .atMost(LONG)
        .pollInterval(Duration.ofSeconds(2))
        .ignoreExceptions()
        .until(
            () -> {
              JsonNode pod = json("get", "pod", "-n", "kube-system", "kube-apiserver-" + node.node);
              JsonNode status = pod.path("status").path("containerStatuses").path(0);
              return status.path("restartCount").asInt() >= 1 && status.path("ready").asBoolean();
            });
    assertFalse(runningContainer("kube-apiserver").equals(apiserver));
  }

  private void agentKilledAndRestartedRestartsNoContainer() throws IOException {
    Map<String, String> before = runningControlPlaneContainers();
    KubeadmNode.run(List.of("kill", "-KILL", String.valueOf(node.agentPid())), 10);
    await("the agent gone")
        .atMost(Duration.ofSeconds(30))
        .until(() -> !node.systemctl("is-active", "kubelet").output().strip().equals("active"));
    Instant restarted = Instant.now();
    assertEquals(0, node.systemctl("start", "kubelet").exitCode());
    await("the restarted agent heartbeats")
        .atMost(LONG)
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .until(
            () ->
                Instant.parse(
                        json("get", "lease", "-n", "kube-node-lease", node.node)
                            .path("spec")
                            .path("renewTime")
                            .asText()
                            .replaceFirst("\\.(\\d{3})\\d*Z$", ".$1Z"))
                    .isAfter(restarted));
    await("no container restarted")
        .during(Duration.ofSeconds(10))
        .atMost(Duration.ofSeconds(60))
        .until(() -> runningControlPlaneContainers().equals(before));
  }

  private void editedSchedulerManifestReplacesOnlyThatPod() throws IOException {
    Map<String, String> before = runningControlPlaneContainers();
    Map<String, String> uids = mirrorUids();
    Path manifest = Path.of("/etc/kubernetes/manifests/kube-scheduler.yaml");
    String yaml = Files.readString(manifest);
    assertTrue(yaml.contains("    - --leader-elect=true\n"), yaml);
    Files.writeString(
        manifest,
        yaml.replace("    - --leader-elect=true\n", "    - --leader-elect=true\n    - --v=2\n"));

    await("a new kube-scheduler container with --v=2 and a new mirror")
        .atMost(LONG)
        .pollInterval(Duration.ofSeconds(2))
        .ignoreExceptions()
        .until(
            () -> {
              JsonNode pod = json("get", "pod", "-n", "kube-system", "kube-scheduler-" + node.node);
              boolean newMirror =
                  !pod.path("metadata").path("uid").asText().equals(uids.get("kube-scheduler"));
              boolean flag =
                  pod.path("spec")
                      .path("containers")
                      .path(0)
                      .path("command")
                      .toString()
                      .contains("--v=2");
              boolean ready =
                  pod.path("status").path("containerStatuses").path(0).path("ready").asBoolean();
              return newMirror
                  && flag
                  && ready
                  && !runningContainer("kube-scheduler").equals(before.get("kube-scheduler"));
            });
    Map<String, String> after = runningControlPlaneContainers();
    Map<String, String> afterUids = mirrorUids();
    for (String c : List.of("etcd", "kube-apiserver", "kube-controller-manager")) {
      assertEquals(before.get(c), after.get(c), c + " container untouched");
      assertEquals(uids.get(c), afterUids.get(c), c + " mirror untouched");
    }
  }

  private void resetWithTheAgentStoppedLeavesNoContainer() {
    assertEquals(0, node.systemctl("stop", "kubelet").exitCode());
    KubeadmNode.Result reset = node.kubeadm(240, "reset", "-f");
    assertEquals(0, reset.exitCode(), reset.output());
    List<String> left =
        lines(
            node.docker()
                .docker(
                    "ps",
                    "-a",
                    "--filter",
                    "label=io.staticlet.managed=true",
                    "--format",
                    "{{.Names}}"));
    assertEquals(List.of(), left, "no staticlet container after kubeadm reset");
  }

  /** Everything ran in the test's namespace: the host's {@code lo} has loopback addresses only. */
  private void theHostsLoopbackNeverHadTheAdvertiseAddress() {
    List<String> hostLo =
        Arrays.stream(
                KubeadmNode.run(List.of("ip", "-o", "addr", "show", "dev", "lo"), 10).split("\n"))
            .filter(l -> !l.isBlank())
            .map(l -> l.trim().split("\\s+")[3])
            .toList();
    assertTrue(
        hostLo.stream().allMatch(a -> a.startsWith("127.") || a.equals("::1/128")),
        "the host's lo: " + hostLo);
  }

  // ---- helpers

  private static boolean controlPlaneReady() {
    Kubectl.Result r = kubectl.run("get", "pods", "-n", "kube-system", "-o", "json");
    if (!r.succeeded()) {
      return false;
    }
    try {
      int ready = 0;
      for (JsonNode pod : JSON.readTree(r.stdout()).path("items")) {
        String name = pod.path("metadata").path("name").asText();
        boolean ours =
            KubeadmNode.CONTROL_PLANE.stream().anyMatch(c -> name.equals(c + "-" + node.node));
        if (ours
            && "Running".equals(pod.path("status").path("phase").asText())
            && pod.path("status").path("containerStatuses").path(0).path("ready").asBoolean()) {
          ready++;
        }
      }
      return ready == KubeadmNode.CONTROL_PLANE.size();
    } catch (IOException e) {
      return false;
    }
  }

  private static JsonNode json(String... args) throws IOException {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "-o";
    all[args.length + 1] = "json";
    return JSON.readTree(kubectl.run(all).orThrow().stdout());
  }

  private static Map<String, String> map(JsonNode object) {
    Map<String, String> out = new TreeMap<>();
    object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static String runningContainer(String component) {
    List<String> rows =
        lines(
                node.docker()
                    .docker(
                        "ps",
                        "--no-trunc",
                        "--filter",
                        "label=io.kubernetes.pod.name=" + component + "-" + node.node,
                        "--format",
                        "{{.ID}} {{.Names}}"))
            .stream()
            .filter(r -> !r.split(" ")[1].startsWith("k8s_POD_"))
            .toList();
    assertEquals(1, rows.size(), component + ": " + rows);
    return rows.get(0).split(" ")[0];
  }

  private static List<String> lines(String out) {
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  /** The running container of each control-plane pod, by component. */
  private static Map<String, String> runningControlPlaneContainers() {
    Map<String, String> byComponent = new TreeMap<>();
    for (String c : KubeadmNode.CONTROL_PLANE) {
      byComponent.put(c, runningContainer(c));
    }
    return byComponent;
  }

  private static Map<String, String> mirrorUids() throws IOException {
    Map<String, String> uids = new TreeMap<>();
    for (String c : KubeadmNode.CONTROL_PLANE) {
      uids.put(
          c,
          json("get", "pod", "-n", "kube-system", c + "-" + node.node)
              .path("metadata")
              .path("uid")
              .asText());
    }
    return uids;
  }

  private static Map<String, String> checksums() throws IOException {
    Map<String, String> sums = new TreeMap<>();
    for (Path f : KUBEADM_FILES) {
      sums.put(f.toString(), KubeadmNode.sha256(f));
    }
    return sums;
  }

  private static String diagnostics() {
    StringBuilder b = new StringBuilder("---- kubeadm e2e diagnostics\n-- agent log (tail):\n");
    List<String> log = node.agentLog().lines().toList();
    log.subList(Math.max(0, log.size() - 80), log.size()).forEach(l -> b.append(l).append('\n'));
    try {
      b.append("-- docker ps -a (the node's engine):\n").append(node.docker().docker("ps", "-a"));
    } catch (AssertionError | RuntimeException e) {
      b.append(e.getMessage()).append('\n');
    }
    if (node.docker() != null) {
      List<String> engineLog = node.docker().log().lines().toList();
      b.append("-- dockerd log (tail):\n");
      engineLog
          .subList(Math.max(0, engineLog.size() - 30), engineLog.size())
          .forEach(l -> b.append(l).append('\n'));
    }
    if (kubectl != null) {
      b.append("-- kubectl get pods -A -o wide:\n")
          .append(kubectl.run("get", "pods", "-A", "-o", "wide"));
      b.append("\n-- kubectl get nodes -o wide:\n")
          .append(kubectl.run("get", "nodes", "-o", "wide"));
    }
    return b.toString();
  }
}
