package io.staticlet.core.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.queue.WorkQueue;
import io.staticlet.core.runtime.RuntimeEvent;
import io.staticlet.core.testing.FakeContainerRuntime;
import io.staticlet.core.testing.ManualClock;
import io.staticlet.core.testing.ManualScheduler;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodTriggersTest {
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final WorkQueue<PodKey> queue = new WorkQueue<>(clock);
  private final PodTriggers triggers =
      new PodTriggers(new DesiredPods(), queue, new FakeContainerRuntime(clock), scheduler);

  @Test
  void engineEventQueuesThePodNowAndOnceMoreAfterTheEngineSettled() {
    PodKey web = new PodKey("default", "web-node1");

    triggers.accept(new RuntimeEvent(web, "c1", "die"));
    assertEquals(Optional.of(web), queue.poll());
    queue.done(web);
    assertEquals(Optional.empty(), queue.poll());

    scheduler.advance(Duration.ofSeconds(1));
    assertEquals(
        Optional.of(web),
        queue.poll(),
        "a second look, in case the listing lagged behind the event");
  }
}
