package io.staticlet.core.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerSpecRejectedException;
import io.staticlet.core.testing.DefaultedPods;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvResolverTest {
  private static final NodeCapacity NODE = new NodeCapacity(4000, 8L * 1024 * 1024 * 1024);
  private final EnvResolver resolver = new EnvResolver(NODE);

  private Map<String, String> resolve(StaticPod pod) {
    Container c = pod.pod().getSpec().getContainers().get(0);
    return resolver.resolve(pod, c, "172.17.0.5", "10.0.0.7");
  }

  private static StaticPod podWithEnv(EnvVar... env) {
    return DefaultedPods.pod("web")
        .namespace("kube-system")
        .uid("00112233445566778899aabbccddeeff")
        .label("tier", "control-plane")
        .annotation("team", "infra")
        .container(DefaultedPods.container("app").withEnv(env))
        .build();
  }

  @Test
  void resolvesDownwardApiFieldRefs() {
    StaticPod pod =
        podWithEnv(
            DefaultedPods.fieldRef("POD_NAME", "metadata.name"),
            DefaultedPods.fieldRef("POD_NAMESPACE", "metadata.namespace"),
            DefaultedPods.fieldRef("POD_UID", "metadata.uid"),
            DefaultedPods.fieldRef("NODE_NAME", "spec.nodeName"),
            DefaultedPods.fieldRef("POD_IP", "status.podIP"),
            DefaultedPods.fieldRef("HOST_IP", "status.hostIP"),
            DefaultedPods.fieldRef("TIER", "metadata.labels['tier']"),
            DefaultedPods.fieldRef("TEAM", "metadata.annotations['team']"),
            DefaultedPods.fieldRef("HASH", "metadata.annotations['kubernetes.io/config.hash']"));
    Map<String, String> env = resolve(pod);
    assertEquals("web-node1", env.get("POD_NAME"));
    assertEquals("kube-system", env.get("POD_NAMESPACE"));
    assertEquals("00112233445566778899aabbccddeeff", env.get("POD_UID"));
    assertEquals("node1", env.get("NODE_NAME"));
    assertEquals("172.17.0.5", env.get("POD_IP"));
    assertEquals("10.0.0.7", env.get("HOST_IP"));
    assertEquals("control-plane", env.get("TIER"));
    assertEquals("infra", env.get("TEAM"));
    assertEquals("00112233445566778899aabbccddeeff", env.get("HASH"));
  }

  @Test
  void expandsValuesAgainstEarlierVariablesOnly() {
    Map<String, String> env =
        resolve(
            podWithEnv(
                DefaultedPods.fieldRef("POD_NAME", "metadata.name"),
                DefaultedPods.env("GREETING", "hello $(POD_NAME) from $(LATER)"),
                DefaultedPods.env("LATER", "later"),
                DefaultedPods.env("ESCAPED", "$$(POD_NAME)")));
    assertEquals("hello web-node1 from $(LATER)", env.get("GREETING"));
    assertEquals("$(POD_NAME)", env.get("ESCAPED"));
  }

  @Test
  void keepsDefinitionOrderAndLastDuplicateWins() {
    Map<String, String> env =
        resolve(
            podWithEnv(
                DefaultedPods.env("A", "1"),
                DefaultedPods.env("B", "2"),
                DefaultedPods.env("A", "3")));
    assertEquals(List.of("B", "A"), List.copyOf(env.keySet()));
    assertEquals("3", env.get("A"));
  }

  @Test
  void fieldRefValuesAreNotExpanded() {
    StaticPod pod =
        DefaultedPods.pod("web")
            .label("x", "$(A)")
            .container(
                DefaultedPods.container("app")
                    .withEnv(
                        DefaultedPods.env("A", "a"),
                        DefaultedPods.fieldRef("X", "metadata.labels['x']")))
            .build();
    assertEquals("$(A)", resolve(pod).get("X"));
  }

  @Test
  void resolvesResourceFieldRefsWithDivisorAndNodeFallback() {
    Container app =
        DefaultedPods.container("app")
            .withResources(
                new ResourceRequirementsBuilder()
                    .addToLimits("cpu", new Quantity("1500m"))
                    .addToLimits("memory", new Quantity("64Mi"))
                    .addToRequests("cpu", new Quantity("250m"))
                    .build())
            .withEnv(
                resourceRef("CPU_LIMIT", "limits.cpu", null),
                resourceRef("CPU_REQUEST_MILLIS", "requests.cpu", "1m"),
                resourceRef("MEM_LIMIT_MI", "limits.memory", "1Mi"),
                resourceRef("MEM_REQUEST", "requests.memory", null))
            .build();
    Container sidecar =
        DefaultedPods.container("sidecar")
            .withEnv(resourceRef("OTHER_CPU", "limits.cpu", null))
            .build();
    StaticPod pod = DefaultedPods.pod("web").container(app).container(sidecar).build();

    Map<String, String> env = resolver.resolve(pod, app, "", "");
    assertEquals("2", env.get("CPU_LIMIT"), "1.5 cores rounds up");
    assertEquals("250", env.get("CPU_REQUEST_MILLIS"));
    assertEquals("64", env.get("MEM_LIMIT_MI"));
    assertEquals("0", env.get("MEM_REQUEST"));
    assertEquals(
        "4", resolver.resolve(pod, sidecar, "", "").get("OTHER_CPU"), "no limit: node capacity");
  }

  @Test
  void refusesReferencesToApiObjects() {
    EnvVar secret =
        new EnvVarBuilder()
            .withName("PASSWORD")
            .withNewValueFrom()
            .withNewSecretKeyRef()
            .withName("s")
            .withKey("k")
            .endSecretKeyRef()
            .endValueFrom()
            .build();
    var e = assertThrows(ContainerSpecRejectedException.class, () -> resolve(podWithEnv(secret)));
    assertTrue(e.getMessage().contains("PASSWORD"), e.getMessage());

    StaticPod envFrom =
        DefaultedPods.pod("web")
            .container(
                DefaultedPods.container("app")
                    .withEnvFrom(
                        new EnvFromSourceBuilder()
                            .withNewConfigMapRef()
                            .withName("cm")
                            .endConfigMapRef()
                            .build()))
            .build();
    assertThrows(ContainerSpecRejectedException.class, () -> resolve(envFrom));
  }

  @Test
  void refusesUnknownFieldPaths() {
    assertThrows(
        ContainerSpecRejectedException.class,
        () -> resolve(podWithEnv(DefaultedPods.fieldRef("X", "spec.containers[0].image"))));
  }

  private static EnvVar resourceRef(String name, String resource, String divisor) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewResourceFieldRef()
        .withResource(resource)
        .withDivisor(divisor == null ? null : new Quantity(divisor))
        .endResourceFieldRef()
        .endValueFrom()
        .build();
  }
}
