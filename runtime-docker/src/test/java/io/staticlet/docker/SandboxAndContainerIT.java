package io.staticlet.docker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.ExposedPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.staticlet.core.container.SandboxSpecs;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerState;
import io.staticlet.core.runtime.ExecResult;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SandboxAndContainerIT extends DockerTestSupport {
  @Test
  void aConfiguredSandboxOomScoreReachesTheEngineAsIs() {
    DockerContainerRuntime scored = track(newRuntime(settings().withSandboxOomScoreAdj(7)));

    String sandbox =
        scored.startSandbox(
            SandboxSpecs.of(
                pod("scored").container(TestPods.shell("main", "sleep 3600")).build(), 0));

    assertEquals(7, inspect(sandbox).getHostConfig().getOomScoreAdj());
    assertTrue(inspect(sandbox).getState().getRunning());
  }

  @Test
  void createsSandboxAndContainerWithKubeletNamesLabelsAndHostConfig() {
    StaticPod pod =
        pod("web")
            .label("app", "web")
            .annotation("team", "infra")
            .grace(17)
            .container(
                TestPods.shell("main", "echo hello; sleep 3600")
                    .withLifecycle(
                        new LifecycleBuilder()
                            .withNewPreStop()
                            .withNewExec()
                            .withCommand("sh", "-c", "true")
                            .endExec()
                            .endPreStop()
                            .build())
                    .withResources(
                        new ResourceRequirementsBuilder()
                            .addToLimits("memory", new Quantity("64Mi"))
                            .addToLimits("cpu", new Quantity("500m"))
                            .addToRequests("cpu", new Quantity("100m"))
                            .build()))
            .build();
    Started started = start(pod);

    var sandbox = inspect(started.sandbox());
    assertEquals(
        "/k8s_POD_" + pod.key().name() + "_" + namespace + "_" + pod.uid() + "_0",
        sandbox.getName());
    assertTrue(sandbox.getState().getRunning());
    Map<String, String> sl = sandbox.getConfig().getLabels();
    assertEquals("web", sl.get("app"));
    assertEquals("infra", sl.get("annotation.team"));
    assertEquals(pod.uid(), sl.get("annotation.kubernetes.io/config.hash"));
    assertEquals("POD", sl.get("io.kubernetes.container.name"));
    assertEquals("podsandbox", sl.get("io.kubernetes.docker.type"));
    assertEquals("true", sl.get("io.staticlet.managed"));
    assertEquals("sandbox", sl.get("io.staticlet.container.role"));
    var shc = sandbox.getHostConfig();
    assertEquals("shareable", shc.getIpcMode());
    assertEquals(2, shc.getCpuShares());
    assertTrue(
        Set.of(-998, 0).contains(shc.getOomScoreAdj()), "oom_score_adj " + shc.getOomScoreAdj());
    assertEquals(pod.key().name(), sandbox.getConfig().getHostName());
    assertTrue(Set.of("", "no").contains(shc.getRestartPolicy().getName()));

    var main = inspect(started.id("main"));
    assertEquals(
        "/k8s_main_" + pod.key().name() + "_" + namespace + "_" + pod.uid() + "_0", main.getName());
    Map<String, String> cl = main.getConfig().getLabels();
    assertEquals("main", cl.get("io.kubernetes.container.name"));
    assertEquals(pod.key().name(), cl.get("io.kubernetes.pod.name"));
    assertEquals(node, cl.get("io.staticlet.node"));
    assertEquals(node, sl.get("io.staticlet.node"));
    assertEquals(namespace, cl.get("io.kubernetes.pod.namespace"));
    assertEquals(pod.uid(), cl.get("io.kubernetes.pod.uid"));
    assertEquals("container", cl.get("io.kubernetes.docker.type"));
    assertEquals(started.sandbox(), cl.get("io.kubernetes.sandbox.id"));
    assertEquals("0", cl.get("annotation.io.kubernetes.container.restartCount"));
    assertEquals("17", cl.get("annotation.io.kubernetes.pod.terminationGracePeriod"));
    assertEquals(
        "/dev/termination-log",
        cl.get("annotation.io.kubernetes.container.terminationMessagePath"));
    assertEquals("File", cl.get("annotation.io.kubernetes.container.terminationMessagePolicy"));
    assertNotNull(cl.get("annotation.io.kubernetes.container.hash"));
    assertTrue(cl.get("annotation.io.kubernetes.container.preStopHandler").contains("\"exec\""));
    assertEquals("app", cl.get("io.staticlet.container.role"));
    assertTrue(!cl.containsKey("app"), "pod labels stay on the sandbox");
    var hc = main.getHostConfig();
    assertEquals("container:" + started.sandbox(), hc.getNetworkMode());
    assertEquals("container:" + started.sandbox(), hc.getIpcMode());
    assertEquals(List.of("NONE"), main.getConfig().getHealthcheck().getTest());
    assertEquals(64L * 1024 * 1024, hc.getMemory());
    assertEquals(50_000L, hc.getCpuQuota());
    assertEquals(102, hc.getCpuShares());
    assertEquals(0, hc.getOomScoreAdj());
    assertTrue(main.getState().getRunning());
  }

  @Test
  void hostNetworkPodUsesTheNodeNetworkAndHostname() {
    StaticPod pod =
        pod("hostnet")
            .spec(s -> s.setHostNetwork(true))
            .container(TestPods.shell("main", "sleep 3600"))
            .build();
    Started started = start(pod);
    assertEquals("host", inspect(started.sandbox()).getHostConfig().getNetworkMode());
    assertEquals("host", inspect(started.id("main")).getHostConfig().getUtSMode());
    ExecResult hostname =
        runtime.exec(started.id("main"), List.of("hostname"), Duration.ofSeconds(10));
    assertEquals(hostNameOfThisMachine(), hostname.output().trim());
  }

  @Test
  void bindsHostPortsOnTheSandbox() throws Exception {
    int hostPort = freePort();
    StaticPod pod =
        pod("httpd")
            .container(
                TestPods.shell(
                        "web",
                        "mkdir -p /www && echo served > /www/index.html && exec httpd -f -p 8080 -h /www")
                    .withPorts(
                        new ContainerPortBuilder()
                            .withContainerPort(8080)
                            .withHostPort(hostPort)
                            .withProtocol("TCP")
                            .build()))
            .build();
    Started started = start(pod);

    var bindings = inspect(started.sandbox()).getHostConfig().getPortBindings().getBindings();
    assertEquals(
        String.valueOf(hostPort), bindings.get(ExposedPort.tcp(8080))[0].getHostPortSpec());
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest get =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + "/index.html"))
            .timeout(Duration.ofSeconds(2))
            .build();
    String body =
        await()
            .atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(200))
            .ignoreExceptions()
            .until(
                () -> http.send(get, HttpResponse.BodyHandlers.ofString()).body(),
                b -> b.contains("served"));
    assertEquals("served", body.trim());
  }

  @Test
  void appliesKubernetesEntrypointSemanticsWithVariableExpansion() {
    var withCommandAndArgs =
        runToExit(
            "cmdargs",
            TestPods.container("c")
                .withEnv(TestPods.env("WHO", "world"))
                .withCommand("sh", "-c")
                .withArgs(
                    "echo 'hello $(WHO) $$(WHO)' \"$1\" > /dev/termination-log",
                    "ignored-0",
                    "$(WHO)"));
    assertEquals("Completed", withCommandAndArgs.reason());
    assertEquals("hello world $(WHO) world\n", withCommandAndArgs.message());

    // busybox has no ENTRYPOINT and CMD ["sh"]: args alone replace CMD, so "sh" is not run at all.
    var argsOnly = runToExit("argsonly", TestPods.container("c").withArgs("sh", "-c", "exit 7"));
    assertEquals(7, argsOnly.exitCode());

    // neither: the image's CMD (sh) runs, reads no stdin and exits 0
    var neither = runToExit("neither", TestPods.container("c"));
    assertEquals(ContainerState.EXITED, neither.state());
    assertEquals(0, neither.exitCode());
  }

  @Test
  void exposesDownwardApiValuesInTheEnvironment() {
    StaticPod pod =
        pod("env")
            .label("tier", "backend")
            .container(
                TestPods.shell("main", "sleep 3600")
                    .withEnv(
                        TestPods.fieldRef("POD_NAME", "metadata.name"),
                        TestPods.fieldRef("POD_NAMESPACE", "metadata.namespace"),
                        TestPods.fieldRef("POD_UID", "metadata.uid"),
                        TestPods.fieldRef("NODE_NAME", "spec.nodeName"),
                        TestPods.fieldRef("POD_IP", "status.podIP"),
                        TestPods.fieldRef("HOST_IP", "status.hostIP"),
                        TestPods.fieldRef("TIER", "metadata.labels['tier']"),
                        TestPods.env("GREETING", "hi $(POD_NAME)")))
            .build();
    Started started = start(pod);
    ExecResult env = runtime.exec(started.id("main"), List.of("env"), Duration.ofSeconds(10));
    assertEquals(0, env.exitCode());
    List<String> lines = Arrays.asList(env.output().split("\n"));
    assertTrue(lines.contains("POD_NAME=" + pod.key().name()), env.output());
    assertTrue(lines.contains("POD_NAMESPACE=" + namespace), env.output());
    assertTrue(lines.contains("POD_UID=" + pod.uid()), env.output());
    assertTrue(lines.contains("NODE_NAME=" + node), env.output());
    assertTrue(
        !started.podIp().isEmpty() && lines.contains("POD_IP=" + started.podIp()), env.output());
    assertTrue(lines.contains("HOST_IP=" + runtime.hostIp()), env.output());
    assertTrue(lines.contains("TIER=backend"), env.output());
    assertTrue(lines.contains("GREETING=hi " + pod.key().name()), env.output());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String hostNameOfThisMachine() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname"))
          .trim();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
