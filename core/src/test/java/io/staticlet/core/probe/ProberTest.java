package io.staticlet.core.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.runtime.ContainerNotFoundException;
import io.staticlet.core.runtime.ExecResult;
import io.staticlet.core.runtime.RuntimeUnavailableException;
import io.staticlet.core.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProberTest {
  private final ManualClock clock = new ManualClock();
  private final ScriptedExecRuntime runtime = new ScriptedExecRuntime();
  private final ScriptedNetworkProber network = new ScriptedNetworkProber(clock);
  private final Prober prober = new Prober(new ExecProber(runtime), network);

  private static ProbeSpec spec(ProbeAction action) {
    return new ProbeSpec(
        ProbeType.LIVENESS,
        action,
        Duration.ZERO,
        Duration.ofSeconds(10),
        Duration.ofSeconds(3),
        1,
        3,
        Optional.empty());
  }

  @Test
  void execProbeRunsTheCommandInTheContainerWithTheProbeTimeout() {
    ProbeResult result =
        prober
            .probe(spec(new ProbeAction.Exec(List.of("cat", "/tmp/healthy"))), "c1", "10.0.0.2")
            .orElseThrow();

    assertTrue(result.succeeded());
    assertEquals(List.of("cat", "/tmp/healthy"), runtime.lastCommand);
    assertEquals(Duration.ofSeconds(3), runtime.lastTimeout);
  }

  @Test
  void execProbeFailsWithTheExitCodeAndOutput() {
    runtime.answer(
        new ExecResult(1, "cat: can't open '/tmp/healthy': No such file or directory\n", false));

    ProbeResult result =
        prober
            .probe(spec(new ProbeAction.Exec(List.of("cat", "/tmp/healthy"))), "c1", "10.0.0.2")
            .orElseThrow();

    assertFalse(result.succeeded());
    assertEquals(
        "command [cat, /tmp/healthy] exited with 1: cat: can't open '/tmp/healthy': No such file or directory",
        result.message());
  }

  @Test
  void execProbeThatRunsPastItsTimeoutFails() {
    runtime.answer(new ExecResult(-1, "", true));

    ProbeResult result =
        prober
            .probe(spec(new ProbeAction.Exec(List.of("sleep", "10"))), "c1", "10.0.0.2")
            .orElseThrow();

    assertFalse(result.succeeded());
    assertTrue(result.message().contains("timed out after 3s"), result.message());
  }

  @Test
  void engineErrorsAreNeitherSuccessNorFailure() {
    runtime.fail(new RuntimeUnavailableException("engine down"));
    assertEquals(
        Optional.empty(),
        prober.probe(spec(new ProbeAction.Exec(List.of("true"))), "c1", "10.0.0.2"));

    runtime.fail(new ContainerNotFoundException("gone"));
    assertEquals(
        Optional.empty(),
        prober.probe(spec(new ProbeAction.Exec(List.of("true"))), "c1", "10.0.0.2"));
  }

  @Test
  void networkProbesTargetThePodIpUnlessTheyNameAHost() {
    prober.probe(spec(new ProbeAction.HttpGet("HTTP", "", 80, "/a", List.of())), "c1", "10.0.0.2");
    prober.probe(
        spec(new ProbeAction.HttpGet("HTTP", "127.0.0.1", 80, "/b", List.of())), "c1", "10.0.0.2");
    prober.probe(spec(new ProbeAction.TcpSocket("", 5432)), "c1", "10.0.0.2");
    prober.probe(spec(new ProbeAction.Grpc(9000, "")), "c1", "10.0.0.2");

    assertEquals(
        List.of("10.0.0.2", "127.0.0.1", "10.0.0.2", "10.0.0.2"),
        network.calls.stream().map(ScriptedNetworkProber.Call::host).toList());
  }

  @Test
  void networkProbeWithoutPodIpFails() {
    ProbeResult result =
        prober.probe(spec(new ProbeAction.TcpSocket("", 5432)), "c1", "").orElseThrow();

    assertFalse(result.succeeded());
    assertTrue(network.calls.isEmpty());
  }

  @Test
  void unusableProbeFailsWithItsReason() {
    ProbeResult result =
        prober
            .probe(spec(new ProbeAction.Unusable("unable to find port admin")), "c1", "10.0.0.2")
            .orElseThrow();

    assertEquals(ProbeResult.failure("unable to find port admin"), result);
  }
}
