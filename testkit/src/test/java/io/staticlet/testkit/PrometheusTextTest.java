package io.staticlet.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
  private static final String TEXT =
      """
      # HELP staticlet_events_total Pod events recorded
      # TYPE staticlet_events_total counter
      staticlet_events_total{reason="Unhealthy",type="Warning"} 3.0
      staticlet_events_total{reason="Killing",type="Normal"} 1.0
      staticlet_events_total{reason="Started",type="Normal"} 2.0
      staticlet_static_pods 4.0
      """;

  @Test
  void sumAddsEveryLabelSetAndIsNaNForAnAbsentMetric() {
    assertEquals(6.0, PrometheusText.sum(TEXT, "staticlet_events_total"));
    assertEquals(4.0, PrometheusText.sum(TEXT, "staticlet_static_pods"));
    assertTrue(Double.isNaN(PrometheusText.sum(TEXT, "staticlet_absent")));
  }

  @Test
  void sumWhereKeepsTheSamplesWithAllTheLabels() {
    assertEquals(
        3.0, PrometheusText.sumWhere(TEXT, "staticlet_events_total", "reason", "Unhealthy"));
    assertEquals(3.0, PrometheusText.sumWhere(TEXT, "staticlet_events_total", "type", "Normal"));
    assertEquals(
        1.0,
        PrometheusText.sumWhere(
            TEXT, "staticlet_events_total", "type", "Normal", "reason", "Killing"));
    assertEquals(
        0.0,
        PrometheusText.sumWhere(TEXT, "staticlet_events_total", "reason", "Unhealth"),
        "whole values only");
    assertEquals(
        0.0,
        PrometheusText.sumWhere(TEXT, "staticlet_events_total", "reason", "FailedPostStartHook"));
  }

  @Test
  void countersContainingNamesOnlyTotals() {
    assertEquals(
        Set.of("staticlet_events_total"), PrometheusText.countersContaining(TEXT, "events"));
  }
}
