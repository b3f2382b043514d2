package io.staticlet.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.HostAliasBuilder;
import io.staticlet.core.container.SandboxSpecs;
import io.staticlet.core.pod.StaticPod;
import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxConfigMapperTest {
  private static CreateContainerCmd map(StaticPod pod, int oom) {
    return SandboxConfigMapper.apply(
        TestPods.createCmd(TestPods.PAUSE), SandboxSpecs.of(pod, 1), oom, TestPods.NODE);
  }

  @Test
  void sandboxOwnsNamespacesAndHostPorts() {
    StaticPod pod =
        TestPods.pod("web")
            .container(
                TestPods.container("a")
                    .withPorts(
                        new ContainerPortBuilder()
                            .withContainerPort(80)
                            .withHostPort(8080)
                            .withProtocol("TCP")
                            .build(),
                        new ContainerPortBuilder()
                            .withContainerPort(9090)
                            .withProtocol("TCP")
                            .build()))
            .initContainer(
                TestPods.container("init")
                    .withPorts(
                        new ContainerPortBuilder()
                            .withContainerPort(53)
                            .withHostPort(5353)
                            .withProtocol("UDP")
                            .withHostIP("127.0.0.1")
                            .build()))
            .spec(
                s ->
                    s.setHostAliases(
                        List.of(
                            new HostAliasBuilder().withIp("10.0.0.1").withHostnames("db").build())))
            .build();
    CreateContainerCmd cmd = map(pod, -998);
    var hc = cmd.getHostConfig();
    assertEquals(DockerNames.sandbox(pod.key(), pod.uid(), 1), cmd.getName());
    assertEquals("shareable", hc.getIpcMode());
    assertEquals("default", hc.getNetworkMode());
    assertNull(hc.getPidMode());
    assertEquals(-998, hc.getOomScoreAdj());
    assertEquals(2, hc.getCpuShares());
    assertEquals(com.github.dockerjava.api.model.RestartPolicy.noRestart(), hc.getRestartPolicy());
    assertEquals("web-node1", cmd.getHostName());
    assertArrayEquals(new String[] {"db:10.0.0.1"}, hc.getExtraHosts());
    var bindings = hc.getPortBindings().getBindings();
    assertEquals(2, bindings.size());
    assertArrayEquals(
        new Ports.Binding[] {Ports.Binding.bindPort(8080)}, bindings.get(ExposedPort.tcp(80)));
    assertArrayEquals(
        new Ports.Binding[] {Ports.Binding.bindIpAndPort("127.0.0.1", 5353)},
        bindings.get(ExposedPort.udp(53)));
    assertEquals("sandbox", cmd.getLabels().get(DockerLabels.ROLE));
  }

  @Test
  void hostNamespacesForHostNetworkPidAndIpcPods() {
    StaticPod pod =
        TestPods.pod("apiserver")
            .container(
                TestPods.container("a")
                    .withPorts(
                        new ContainerPortBuilder()
                            .withContainerPort(6443)
                            .withHostPort(6443)
                            .build()))
            .spec(
                s -> {
                  s.setHostNetwork(true);
                  s.setHostPID(true);
                  s.setHostIPC(true);
                })
            .build();
    CreateContainerCmd cmd = map(pod, 0);
    var hc = cmd.getHostConfig();
    assertEquals("host", hc.getNetworkMode());
    assertEquals("host", hc.getPidMode());
    assertEquals("host", hc.getIpcMode());
    assertEquals(0, hc.getOomScoreAdj());
    assertNull(cmd.getHostName(), "hostNetwork pods keep the node's hostname");
    assertTrue(hc.getPortBindings() == null || hc.getPortBindings().getBindings().isEmpty());
  }
}
