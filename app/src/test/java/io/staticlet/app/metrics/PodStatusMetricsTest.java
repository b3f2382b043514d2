package io.staticlet.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.status.ContainerStateValue;
import io.staticlet.core.status.ContainerStatusValue;
import io.staticlet.core.status.PodPhase;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.status.PodStatusValue;
import io.staticlet.core.testing.ManualClock;
import io.staticlet.core.testing.TestPods;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodStatusMetricsTest {
  private final ManualClock clock = new ManualClock();
  private final PodStatusStore store = new PodStatusStore();
  private final PodStatusMetrics metrics = new PodStatusMetrics(store, new AgentMetrics(), clock);

  private static PodStatusValue running(int restarts) {
    return new PodStatusValue(
        PodPhase.RUNNING,
        "",
        "",
        List.of(),
        "",
        List.of(),
        "BestEffort",
        Optional.empty(),
        List.of(),
        List.of(
            new ContainerStatusValue(
                "app",
                "busybox:1.36",
                "",
                "",
                new ContainerStateValue.Running(Instant.parse("2026-01-01T00:00:00Z")),
                Optional.empty(),
                true,
                true,
                restarts)));
  }

  @Test
  void stateOfAPodIsForgottenWhenItGetsANewUidOrGoes() {
    store.addListener(metrics);
    for (int i = 0; i < 1000; i++) {
      StaticPod edit = TestPods.pod("web").uid("uid-" + i).container("app", "busybox:1.36").build();
      store.update(edit, running(i % 3));
    }
    assertEquals(
        3, metrics.size(), "only the current incarnation: running flag, one container, its UID");
    store.remove(TestPods.pod("web").uid("uid-999").container("app", "busybox:1.36").build().key());
    assertEquals(0, metrics.size());
  }
}
