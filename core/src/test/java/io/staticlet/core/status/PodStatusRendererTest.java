package io.staticlet.core.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the table in {@link PodStatusGoldenTest} does not reach: statuses not made by the computer.
 */
class PodStatusRendererTest {
  @Test
  void aPendingPodShowsItsMessageAndQosOnly() {
    PodStatus status =
        PodStatusRenderer.render(
            PodStatusValue.pending("the container engine does not answer: EOF", "Burstable"));

    assertEquals("Pending", status.getPhase());
    assertEquals("the container engine does not answer: EOF", status.getMessage());
    assertEquals("Burstable", status.getQosClass());
    assertNull(status.getReason());
    assertNull(status.getHostIP());
    assertNull(status.getPodIP());
    assertNull(status.getStartTime());
    assertTrue(status.getConditions().isEmpty());
    assertTrue(status.getContainerStatuses().isEmpty());
  }

  @Test
  void everyPodIpIsListedAndTheFirstIsPodIp() {
    PodStatusValue value =
        new PodStatusValue(
            PodPhase.RUNNING,
            "",
            "",
            List.of(),
            "10.0.0.5",
            List.of("172.17.0.2", "fd00::2"),
            "BestEffort",
            Optional.of(Instant.parse("2026-01-01T00:00:00.900Z")),
            List.of(),
            List.of());

    PodStatus status = PodStatusRenderer.render(value);

    assertEquals("172.17.0.2", status.getPodIP());
    assertEquals(List.of(new PodIP("172.17.0.2"), new PodIP("fd00::2")), status.getPodIPs());
    assertEquals("2026-01-01T00:00:00Z", status.getStartTime(), "whole seconds, like metav1.Time");
  }

  @Test
  void eachCallReturnsAFreshObject() {
    PodStatusValue value = PodStatusValue.pending("x", "BestEffort");
    PodStatus first = PodStatusRenderer.render(value);
    first.setPhase("Failed");

    assertEquals("Pending", PodStatusRenderer.render(value).getPhase());
  }

  @Test
  void valuesCopyTheirLists() {
    List<String> ips = new java.util.ArrayList<>(List.of("172.17.0.2"));
    PodStatusValue value =
        new PodStatusValue(
            PodPhase.RUNNING,
            "",
            "",
            List.of(),
            "",
            ips,
            "",
            Optional.empty(),
            List.of(),
            List.of());
    ips.add("172.17.0.3");

    assertEquals(List.of("172.17.0.2"), value.podIps());
  }
}
