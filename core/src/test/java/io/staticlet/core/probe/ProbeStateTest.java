package io.staticlet.core.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.probe.ProbeState.Verdict;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProbeStateTest {
  private static final ProbeResult OK = ProbeResult.success();
  private static final ProbeResult BAD =
      ProbeResult.failure("HTTP probe failed with statuscode: 500");

  private static ProbeSpec spec(ProbeType type, int success, int failure) {
    return new ProbeSpec(
        type,
        new ProbeAction.Exec(java.util.List.of("true")),
        Duration.ZERO,
        Duration.ofSeconds(10),
        Duration.ofSeconds(1),
        success,
        failure,
        Optional.empty());
  }

  @Test
  void readinessStartsFailedLivenessSucceededStartupUnknown() {
    assertEquals(Verdict.FAILURE, new ProbeState(spec(ProbeType.READINESS, 1, 3)).verdict());
    assertEquals(Verdict.SUCCESS, new ProbeState(spec(ProbeType.LIVENESS, 1, 3)).verdict());
    assertEquals(Verdict.UNKNOWN, new ProbeState(spec(ProbeType.STARTUP, 1, 3)).verdict());
  }

  @Test
  void readinessSucceedsOnlyAfterSuccessThresholdConsecutiveSuccesses() {
    ProbeState state = new ProbeState(spec(ProbeType.READINESS, 3, 3));

    assertFalse(state.record(OK));
    assertFalse(state.record(OK));
    assertEquals(Verdict.FAILURE, state.verdict());
    assertTrue(state.record(OK));
    assertEquals(Verdict.SUCCESS, state.verdict());
    assertFalse(state.record(OK), "no flip while it stays successful");
  }

  @Test
  void readinessFailsOnlyAfterFailureThresholdConsecutiveFailuresAndRecovers() {
    ProbeState state = new ProbeState(spec(ProbeType.READINESS, 1, 3));
    state.record(OK);

    assertFalse(state.record(BAD));
    assertFalse(state.record(BAD));
    assertEquals(Verdict.SUCCESS, state.verdict());
    assertTrue(state.record(BAD));
    assertEquals(Verdict.FAILURE, state.verdict());
    assertEquals(BAD.message(), state.message());
    assertFalse(state.done(), "readiness keeps probing after a failure");
    assertTrue(state.record(OK));
    assertEquals(Verdict.SUCCESS, state.verdict());
  }

  @Test
  void aSuccessInterruptsAFailureStreak() {
    ProbeState state = new ProbeState(spec(ProbeType.LIVENESS, 1, 3));

    state.record(BAD);
    state.record(BAD);
    state.record(OK);
    state.record(BAD);
    assertFalse(state.record(BAD));
    assertEquals(Verdict.SUCCESS, state.verdict());
    assertTrue(state.record(BAD));
    assertEquals(Verdict.FAILURE, state.verdict());
  }

  @Test
  void livenessFailureAtThresholdPutsTheProbeOnHold() {
    ProbeState state = new ProbeState(spec(ProbeType.LIVENESS, 1, 1));

    assertTrue(state.record(BAD));
    assertTrue(state.done());
  }

  @Test
  void startupIsDoneOnceItSucceeded() {
    ProbeState state = new ProbeState(spec(ProbeType.STARTUP, 1, 30));

    state.record(BAD);
    assertFalse(state.done());
    assertTrue(state.record(OK));
    assertEquals(Verdict.SUCCESS, state.verdict());
    assertTrue(state.done());
  }

  @Test
  void startupFailureAtThresholdIsAVerdictChange() {
    ProbeState state = new ProbeState(spec(ProbeType.STARTUP, 1, 2));

    assertFalse(state.record(BAD));
    assertTrue(state.record(BAD));
    assertEquals(Verdict.FAILURE, state.verdict());
    assertTrue(state.done());
  }
}
