package io.staticlet.core.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.HostAliasBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SysctlBuilder;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.SandboxSpec;
import io.staticlet.core.testing.DefaultedPods;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxSpecsTest {
  @Test
  void collectsHostPortsOfAllContainersOnceAndThePodsNetworkSettings() {
    StaticPod pod =
        DefaultedPods.pod("web")
            .grace(12)
            .label("tier", "web")
            .container(
                DefaultedPods.container("a")
                    .withPorts(
                        new ContainerPortBuilder()
                            .withContainerPort(80)
                            .withHostPort(8080)
                            .withProtocol("TCP")
                            .build(),
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
                DefaultedPods.container("init")
                    .withPorts(
                        new ContainerPortBuilder()
                            .withContainerPort(53)
                            .withHostPort(5353)
                            .withProtocol("UDP")
                            .withHostIP("127.0.0.1")
                            .build()))
            .spec(
                s -> {
                  s.setHostAliases(
                      List.of(
                          new HostAliasBuilder()
                              .withIp("10.0.0.1")
                              .withHostnames("db", "cache")
                              .build()));
                  s.setDnsConfig(
                      new PodDNSConfigBuilder()
                          .withNameservers("1.1.1.1")
                          .withSearches("svc.local")
                          .addNewOption()
                          .withName("ndots")
                          .withValue("2")
                          .endOption()
                          .addNewOption()
                          .withName("rotate")
                          .endOption()
                          .build());
                  s.setSecurityContext(
                      new PodSecurityContextBuilder()
                          .withSysctls(
                              new SysctlBuilder()
                                  .withName("net.core.somaxconn")
                                  .withValue("1024")
                                  .build())
                          .build());
                  s.setHostIPC(true);
                })
            .build();

    SandboxSpec spec = SandboxSpecs.of(pod, 4);

    assertEquals(pod.key(), spec.pod());
    assertEquals(pod.uid(), spec.podUid());
    assertEquals(4, spec.attempt());
    assertEquals(Map.of("tier", "web"), spec.labels());
    assertEquals(pod.uid(), spec.annotations().get("kubernetes.io/config.hash"));
    assertEquals(new SandboxSpec.HostNamespaces(false, false, true), spec.hostNamespaces());
    assertEquals("web-node1", spec.hostname());
    assertEquals(
        List.of(
            new SandboxSpec.PortMapping(53, "udp", "127.0.0.1", 5353),
            new SandboxSpec.PortMapping(80, "tcp", "", 8080)),
        spec.portMappings());
    assertEquals(
        List.of(
            new SandboxSpec.HostEntry("db", "10.0.0.1"),
            new SandboxSpec.HostEntry("cache", "10.0.0.1")),
        spec.hostEntries());
    assertEquals(
        new SandboxSpec.Dns(
            List.of("1.1.1.1"),
            List.of("svc.local"),
            List.of(
                new SandboxSpec.DnsOption("ndots", "2"), new SandboxSpec.DnsOption("rotate", ""))),
        spec.dns());
    assertEquals(List.of(new SandboxSpec.Sysctl("net.core.somaxconn", "1024")), spec.sysctls());
    assertEquals(Duration.ofSeconds(12), spec.gracePeriod());
  }

  @Test
  void truncatesLongHostnamesLikeTheKubelet() {
    String name = "a".repeat(60) + "-b.c";
    StaticPod pod =
        DefaultedPods.pod("x")
            .container(DefaultedPods.container("a"))
            .spec(s -> s.setHostname(name + "d"))
            .build();
    assertEquals("a".repeat(60) + "-b", SandboxSpecs.hostname(pod));
    assertEquals(63 - 1, SandboxSpecs.hostname(pod).length());
  }
}
