package io.staticlet.core.reconcile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.pod.PodKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirstPassesTest {
  private static final PodKey WEB = new PodKey("default", "web-node1");
  private static final PodKey DB = new PodKey("default", "db-node1");
  private static final SyncOutcome DONE = new SyncOutcome.RetryAfter(Duration.ofSeconds(1), "x");

  @Test
  void doneOnceEveryExpectedPodHadAPassWhateverItsOutcome() throws InterruptedException {
    FirstPasses passes = new FirstPasses();
    passes.expect(List.of(WEB, DB));

    passes.passed(WEB, DONE, Duration.ZERO);
    passes.passed(WEB, DONE, Duration.ZERO);
    assertFalse(passes.await(Duration.ZERO), "db has not had its pass");

    passes.passed(new PodKey("default", "other-node1"), DONE, Duration.ZERO);
    assertFalse(passes.await(Duration.ZERO), "a pod not expected does not count");

    passes.passed(DB, DONE, Duration.ZERO);
    assertTrue(passes.await(Duration.ZERO));
  }

  @Test
  void noPodAtStartIsDoneAtOnce() throws InterruptedException {
    FirstPasses passes = new FirstPasses();
    assertFalse(passes.await(Duration.ZERO), "nothing expected yet");

    passes.expect(List.of());
    assertTrue(passes.await(Duration.ZERO));
  }

  @Test
  void theWorkersReportToItThroughTheMetricsObserver() throws InterruptedException {
    FirstPasses passes = new FirstPasses();
    passes.expect(List.of(WEB));
    List<PodKey> metrics = new ArrayList<>();
    PodWorkers.SyncObserver both =
        ((PodWorkers.SyncObserver) (k, o, d) -> metrics.add(k)).andThen(passes);

    both.passed(WEB, DONE, Duration.ZERO);

    assertTrue(passes.await(Duration.ZERO));
    assertTrue(metrics.contains(WEB));
  }
}
