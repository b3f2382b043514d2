package io.staticlet.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.staticlet.core.mirror.MirrorStatusSummary;
import io.staticlet.core.status.PodStatusCases;
import io.staticlet.core.status.PodStatusComputer;
import io.staticlet.core.status.PodStatusRenderer;
import io.staticlet.core.status.PodStatusValue;
import org.junit.jupiter.api.Test;

/**
 * The drift check compares a summary the adapter reads from the server's status with one core makes
 * of our value: a status we wrote must summarise the same (or every pass would rewrite it), and
 * another writer's change must not.
 */
class MirrorStatusSummaryTest {
  private final PodStatusComputer computer = new PodStatusComputer();

  @Test
  void whatWeWroteReadsBackAsTheSameSummary() {
    for (PodStatusCases.Case c : PodStatusCases.all()) {
      PodStatusValue value = computer.compute(c.input());
      PodStatus onServer = new PodStatusBuilder(PodStatusRenderer.render(value)).build();

      assertEquals(MirrorStatusSummary.of(value), MirrorPodFactory.summary(onServer), c.name());
    }
  }

  @Test
  void theNodeControllerMarkingThePodNotReadyIsDrift() {
    PodStatusValue value = computer.compute(PodStatusCases.all().get(0).input());
    PodStatus onServer = PodStatusRenderer.render(value);
    onServer.getConditions().stream()
        .filter(c -> c.getType().equals("Ready"))
        .forEach(c -> c.setStatus("False"));

    assertNotEquals(MirrorStatusSummary.of(value), MirrorPodFactory.summary(onServer));
  }

  @Test
  void noStatusIsTheEmptySummary() {
    assertEquals(MirrorStatusSummary.NONE, MirrorPodFactory.summary(null));
    assertEquals(MirrorStatusSummary.NONE, MirrorPodFactory.summary(new PodStatus()));
  }
}
