package io.staticlet.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.staticlet.core.runtime.ContainerState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContainerListerTest {
  @Test
  void cacheKeyIgnoresTheAgeInTheStatus() {
    assertEquals(
        ContainerLister.stateKey("running", "Up 2 seconds"),
        ContainerLister.stateKey("running", "Up 3 hours"));
    assertEquals(
        ContainerLister.stateKey("exited", "Exited (0) 2 seconds ago"),
        ContainerLister.stateKey("exited", "Exited (0) About a minute ago"));
    assertEquals("created|Created", ContainerLister.stateKey("created", "Created"));
  }

  @Test
  void cacheKeyChangesWithStateOrExitCode() {
    assertNotEquals(
        ContainerLister.stateKey("exited", "Exited (0) 1 second ago"),
        ContainerLister.stateKey("exited", "Exited (137) 1 second ago"));
    assertNotEquals(
        ContainerLister.stateKey("created", "Created"),
        ContainerLister.stateKey("running", "Up 1 second"));
  }

  @Test
  void mapsDockerStates() {
    assertEquals(ContainerState.CREATED, ContainerLister.state("created"));
    assertEquals(ContainerState.RUNNING, ContainerLister.state("running"));
    assertEquals(ContainerState.EXITED, ContainerLister.state("exited"));
    assertEquals(ContainerState.EXITED, ContainerLister.state("dead"));
    assertEquals(ContainerState.UNKNOWN, ContainerLister.state("paused"));
    assertEquals(ContainerState.UNKNOWN, ContainerLister.state(null));
  }

  @Test
  void parsesDockerTimesAndTheZeroTimeAsNever() {
    assertEquals(
        Instant.parse("2026-11-23T21:30:01.123456789Z"),
        ContainerLister.time("2026-11-23T21:30:01.123456789Z"));
    assertNull(ContainerLister.time("0001-01-01T00:00:00Z"));
    assertNull(ContainerLister.time(""));
    assertNull(ContainerLister.time("garbage"));
  }
}
