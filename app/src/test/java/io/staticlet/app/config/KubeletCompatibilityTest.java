package io.staticlet.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.mirror.NodeRegistration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubeadm's files and the classic kubelet command lines, as they are (DECISIONS.md 19). */
class KubeletCompatibilityTest {
  @TempDir Path dir;

  private Path kubeadmConfig() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("kubeadm-1.20-config.yaml")) {
      Path file = dir.resolve("config.yaml");
      Files.copy(in, file);
      return file;
    }
  }

  private Path kubeconfig() throws IOException {
    return Files.writeString(dir.resolve("kubelet.conf"), "apiVersion: v1\nkind: Config\n");
  }

  @Test
  void kubeadmsConfigYamlStartsTheAgentWithTheV1beta1DefaultsForItsZeroDurations()
      throws IOException {
    // with the node's kubeconfig, as kubeadm runs it: its webhook authentication and authorization
    // need the API server
    AgentConfig c =
        CommandLine.parsed(
                "--config",
                kubeadmConfig().toString(),
                "--kubeconfig",
                kubeconfig().toString(),
                "--hostname-override",
                "n1")
            .toConfig();

    assertEquals(Path.of("/etc/kubernetes/manifests"), c.staticPodPath());
    assertEquals(
        Duration.ofSeconds(20), c.fileCheckFrequency(), "fileCheckFrequency: 0s is the default");
    assertEquals(Duration.ofMinutes(1), c.syncFrequency(), "syncFrequency: 0s is the default");
    assertEquals(Duration.ofSeconds(10), c.nodeStatusUpdateFrequency());
    assertEquals(Duration.ofMinutes(5), c.nodeStatusReportFrequency());
    assertEquals(40, c.nodeLeaseDurationSeconds());
    assertEquals(110, c.registration().maxPods());
    assertEquals("127.0.0.1", c.healthzBindAddress());
    assertEquals(10248, c.healthzPort());
    assertEquals(
        0, c.readOnlyPort(), "a config file without readOnlyPort keeps the read-only port closed");
    assertEquals(
        List.of(
            "config cgroupDriver",
            "config clusterDNS",
            "config clusterDomain",
            "config cpuManagerReconcilePeriod",
            "config evictionPressureTransitionPeriod",
            "config httpCheckFrequency",
            "config imageMinimumGCAge",
            "config logging",
            "config runtimeRequestTimeout",
            "config shutdownGracePeriod",
            "config shutdownGracePeriodCriticalPods",
            "config streamingConnectionIdleTimeout",
            "config volumeStatsAggPeriod"),
        c.acceptedNotUsed());
    assertEquals(List.of(), c.unknownConfigFields());
  }

  @Test
  void theKubeadmDropInCommandLineStartsTheAgent() throws IOException {
    // 10-kubeadm.conf: $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS
    // $KUBELET_EXTRA_ARGS
    String kubeconfig = kubeconfig().toString();
    AgentConfig c =
        CommandLine.parsed(
                "--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf",
                "--kubeconfig=" + kubeconfig,
                "--config=" + kubeadmConfig(),
                "--network-plugin=cni",
                "--pod-infra-container-image=k8s.gcr.io/pause:3.2",
                "--node-ip=127.0.0.1")
            .toConfig();

    assertTrue(c.clusterMode());
    assertEquals(Path.of(kubeconfig), c.kubeconfig());
    assertEquals("k8s.gcr.io/pause:3.2", c.podInfraContainerImage());
    assertEquals("127.0.0.1", c.nodeIp());
    assertEquals("unix:///var/run/docker.sock", c.containerRuntimeEndpoint());
    assertEquals(
        Path.of("/etc/kubernetes/bootstrap-kubelet.conf"),
        c.bootstrapKubeconfig(),
        "used, and may be missing: kubeadm deletes it after the join");
    assertEquals(
        List.of("--network-plugin"),
        c.acceptedNotUsed().subList(0, 1),
        "flags first, each named once");
  }

  @Test
  void theClassicKubeletCommandLineIsAcceptedInBothFlagForms() {
    CommandLine flags =
        CommandLine.parsed(
            "--pod-manifest-path",
            dir.toString(),
            "--hostname-override",
            "n1",
            "--container-runtime=remote",
            "--container-runtime-endpoint",
            "unix:///var/run/docker.sock",
            "--network-plugin=cni",
            "--register-node=true",
            "--v=2",
            "--cgroup-driver",
            "systemd",
            "--fail-swap-on",
            "--fail-swap-on=false",
            "--resolv-conf=/run/systemd/resolve/resolv.conf",
            "--docker_root",
            "/var/lib/docker",
            "--logtostderr",
            "--cluster-dns=10.96.0.10",
            "--redirect-container-streaming=false",
            "--experimental-bootstrap-kubeconfig",
            "/x");
    AgentConfig c = flags.toConfig();

    assertEquals(2, flags.verbosity);
    assertTrue(c.registerNode());
    assertEquals(
        List.of(
            "--network-plugin",
            "--cgroup-driver",
            "--fail-swap-on",
            "--resolv-conf",
            "--docker-root",
            "--logtostderr",
            "--cluster-dns",
            "--redirect-container-streaming",
            "--experimental-bootstrap-kubeconfig"),
        c.acceptedNotUsed());
  }

  @Test
  void booleansTakeNoSeparateValueAndBadOnesAreNamed() {
    AgentConfig off =
        CommandLine.parsed(
                "--pod-manifest-path",
                dir.toString(),
                "--hostname-override",
                "n1",
                "--register-node=false")
            .toConfig();
    assertFalse(off.registerNode());
    AgentConfig bare =
        CommandLine.parsed(
                "--pod-manifest-path",
                dir.toString(),
                "--hostname-override",
                "n1",
                "--register-node")
            .toConfig();
    assertTrue(bare.registerNode());
    ConfigException bad =
        assertThrows(
            ConfigException.class,
            () ->
                CommandLine.parsed(
                    "--pod-manifest-path", dir.toString(), "--fail-swap-on=perhaps"));
    assertTrue(bad.getMessage().startsWith("--fail-swap-on"), bad.getMessage());
  }

  @Test
  void unknownFlagsAreStillRefused() {
    assertThrows(
        picocli.CommandLine.UnmatchedArgumentException.class,
        () ->
            CommandLine.parsed("--pod-manifest-path", dir.toString(), "--no-such-kubelet-flag=1"));
  }

  @Test
  void nodeLabelsTaintsAndMaxPodsTakeEffect() {
    AgentConfig c =
        CommandLine.parsed(
                "--pod-manifest-path",
                dir.toString(),
                "--hostname-override",
                "n1",
                "--node-labels=tier=edge,node.kubernetes.io/pool=a",
                "--node-labels",
                "rack=r1",
                "--register-with-taints=dedicated=infra:NoSchedule,gpu:NoExecute",
                "--max-pods",
                "30")
            .toConfig();

    NodeRegistration r = c.registration();
    assertEquals(Map.of("tier", "edge", "node.kubernetes.io/pool", "a", "rack", "r1"), r.labels());
    assertEquals(
        List.of(
            new NodeRegistration.Taint("dedicated", "infra", "NoSchedule"),
            new NodeRegistration.Taint("gpu", "", "NoExecute")),
        r.taints());
    assertEquals(30, r.maxPods());
  }

  @Test
  void nodeLabelsTheKubeletRefusesAreRefusedNamingThem() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                CommandLine.parsed(
                        "--pod-manifest-path",
                        dir.toString(),
                        "--hostname-override",
                        "n1",
                        "--node-labels=node-role.kubernetes.io/master=")
                    .toConfig());
    assertTrue(
        e.getMessage().startsWith("--node-labels")
            && e.getMessage().contains("node-role.kubernetes.io/master"),
        e.getMessage());
    ConfigException taint =
        assertThrows(
            ConfigException.class,
            () ->
                CommandLine.parsed(
                        "--pod-manifest-path",
                        dir.toString(),
                        "--hostname-override",
                        "n1",
                        "--register-with-taints=a=b:Sometimes")
                    .toConfig());
    assertTrue(taint.getMessage().startsWith("--register-with-taints"), taint.getMessage());
  }

  @Test
  void theEngineFollowsTheKubeletsRuntimeFlags() {
    assertEquals("unix:///var/run/docker.sock", RuntimeEndpoints.engine(null, null, null));
    assertEquals(
        "unix:///run/containerd/containerd.sock",
        RuntimeEndpoints.engine("remote", "unix:///run/containerd/containerd.sock", null));
    assertEquals(
        "unix:///srv/docker.sock",
        RuntimeEndpoints.engine(
            "docker", "unix:///var/run/dockershim.sock", "unix:///srv/docker.sock"));
    assertEquals(
        "unix:///var/run/docker.sock",
        RuntimeEndpoints.engine(null, "unix:///var/run/dockershim.sock", null));
    assertThrows(ConfigException.class, () -> RuntimeEndpoints.engine("rkt", null, null));
  }

  @Test
  void zeroAndUnsetMeanTheDefaultAlsoOnTheCommandLine() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("c.yaml"),
            "apiVersion: kubelet.config.k8s.io/v1beta1\n"
                + "kind: KubeletConfiguration\nstaticPodPath: m\nnodeStatusUpdateFrequency: 4s\nmaxPods: 0\nfutureField: 1\n");
    AgentConfig c =
        CommandLine.parsed(
                "--config",
                file.toString(),
                "--hostname-override",
                "n1",
                "--file-check-frequency=0s")
            .toConfig();

    assertEquals(Duration.ofSeconds(20), c.fileCheckFrequency());
    assertEquals(Duration.ofSeconds(4), c.nodeStatusUpdateFrequency());
    assertEquals(
        Duration.ofSeconds(4),
        c.nodeStatusReportFrequency(),
        "v1beta1: follows an explicit update frequency");
    assertEquals(110, c.registration().maxPods());
    assertEquals(List.of("futureField"), c.unknownConfigFields());
  }
}
