package io.staticlet.core.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProbeSpecsTest {
  private static ContainerBuilder web() {
    return new ContainerBuilder()
        .withName("web")
        .withImage("web:1")
        .addNewPort()
        .withName("http")
        .withContainerPort(8080)
        .endPort();
  }

  @Test
  void appliesKubeletDefaultsWhenFieldsAreMissing() {
    Container c =
        web()
            .withNewLivenessProbe()
            .withNewTcpSocket()
            .withPort(new IntOrString(8080))
            .endTcpSocket()
            .endLivenessProbe()
            .build();

    ProbeSpec spec = ProbeSpecs.of(c).get(0);

    assertEquals(ProbeType.LIVENESS, spec.type());
    assertEquals(Duration.ZERO, spec.initialDelay());
    assertEquals(Duration.ofSeconds(10), spec.period());
    assertEquals(Duration.ofSeconds(1), spec.timeout());
    assertEquals(1, spec.successThreshold());
    assertEquals(3, spec.failureThreshold());
    assertEquals(new ProbeAction.TcpSocket("", 8080), spec.action());
  }

  @Test
  void resolvesANamedPortAgainstTheContainersPorts() {
    Container c =
        web()
            .withNewReadinessProbe()
            .withNewHttpGet()
            .withPort(new IntOrString("http"))
            .withPath("healthz")
            .addNewHttpHeader("X-Probe", "yes")
            .endHttpGet()
            .endReadinessProbe()
            .build();

    ProbeAction action = ProbeSpecs.of(c).get(0).action();

    assertEquals(
        new ProbeAction.HttpGet(
            "HTTP", "", 8080, "/healthz", List.of(new ProbeAction.Header("X-Probe", "yes"))),
        action);
  }

  @Test
  void aPortNameTheContainerDoesNotDeclareMakesTheProbeUnusable() {
    Container c =
        web()
            .withNewLivenessProbe()
            .withNewHttpGet()
            .withPort(new IntOrString("admin"))
            .endHttpGet()
            .endLivenessProbe()
            .build();

    ProbeAction action = ProbeSpecs.of(c).get(0).action();

    ProbeAction.Unusable unusable = assertInstanceOf(ProbeAction.Unusable.class, action);
    assertTrue(unusable.reason().contains("admin"), unusable.reason());
  }

  @Test
  void aNumericPortStringIsReadAsANumber() {
    Container c =
        web()
            .withNewLivenessProbe()
            .withNewTcpSocket()
            .withPort(new IntOrString("9090"))
            .endTcpSocket()
            .endLivenessProbe()
            .build();

    assertEquals(new ProbeAction.TcpSocket("", 9090), ProbeSpecs.of(c).get(0).action());
  }

  @Test
  void readsGrpcAndExecHandlers() {
    Container c =
        web()
            .withNewLivenessProbe()
            .withNewGrpc()
            .withPort(9000)
            .withService("db")
            .endGrpc()
            .endLivenessProbe()
            .withNewReadinessProbe()
            .withNewExec()
            .withCommand("cat", "/tmp/ready")
            .endExec()
            .endReadinessProbe()
            .build();

    List<ProbeSpec> specs = ProbeSpecs.of(c);

    assertEquals(new ProbeAction.Grpc(9000, "db"), specs.get(0).action());
    assertEquals(new ProbeAction.Exec(List.of("cat", "/tmp/ready")), specs.get(1).action());
  }

  @Test
  void startupComesFirstAndOnlyKillingProbesKeepTheirGracePeriod() {
    Container c =
        web()
            .withNewReadinessProbe()
            .withNewTcpSocket()
            .withPort(new IntOrString(8080))
            .endTcpSocket()
            .withTerminationGracePeriodSeconds(9L)
            .endReadinessProbe()
            .withNewLivenessProbe()
            .withNewTcpSocket()
            .withPort(new IntOrString(8080))
            .endTcpSocket()
            .withTerminationGracePeriodSeconds(7L)
            .endLivenessProbe()
            .withNewStartupProbe()
            .withNewTcpSocket()
            .withPort(new IntOrString(8080))
            .endTcpSocket()
            .withSuccessThreshold(5)
            .endStartupProbe()
            .build();

    List<ProbeSpec> specs = ProbeSpecs.of(c);

    assertEquals(
        List.of(ProbeType.STARTUP, ProbeType.LIVENESS, ProbeType.READINESS),
        specs.stream().map(ProbeSpec::type).toList());
    assertEquals(
        1, specs.get(0).successThreshold(), "startup and liveness succeed after one success");
    assertEquals(Optional.of(Duration.ofSeconds(7)), specs.get(1).killGrace());
    assertEquals(Optional.empty(), specs.get(2).killGrace());
  }

  @Test
  void aProbeWithoutHandlerIsUnusable() {
    Container c = web().withNewLivenessProbe().withPeriodSeconds(5).endLivenessProbe().build();

    assertInstanceOf(ProbeAction.Unusable.class, ProbeSpecs.of(c).get(0).action());
  }
}
