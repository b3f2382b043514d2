package io.staticlet.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.staticlet.core.testing.ManualClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link WorkQueue#retryAfter}: a failed key waits out its back-off whatever wakes it meanwhile.
 */
class WorkQueueRetryTest {
  private final ManualClock clock = new ManualClock();
  private final WorkQueue<String> queue = new WorkQueue<>(clock);

  private String takeOne() {
    String key = queue.poll().orElseThrow(() -> new AssertionError("nothing due"));
    queue.done(key);
    return key;
  }

  @Test
  void anAddDuringTheBackOffDoesNotBringTheRetryForward() {
    queue.retryAfter("a", Duration.ofSeconds(10));

    queue.add("a");
    queue.addAfter("a", Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(9));
    assertEquals(Optional.empty(), queue.poll());

    clock.advance(Duration.ofSeconds(1));
    assertEquals("a", takeOne());
    assertEquals(Optional.empty(), queue.poll(), "due once, not once per add");
  }

  @Test
  void aRetryScheduledWhileInFlightHoldsAnAddThatArrivedMeanwhile() {
    queue.add("a");
    String key = queue.poll().orElseThrow();
    queue.add("a"); // dirty: the status changed while the pass ran
    queue.retryAfter(key, Duration.ofSeconds(5));
    queue.done(key);

    assertEquals(Optional.empty(), queue.poll());
    assertEquals(Optional.of(Duration.ofSeconds(5)), queue.untilNextDeadline());
    clock.advance(Duration.ofSeconds(5));
    assertEquals("a", takeOne());
  }

  @Test
  void forgetThenAddRunsTheKeyNow() {
    queue.retryAfter("a", Duration.ofSeconds(30));

    queue.forget("a");
    queue.add("a");

    assertEquals("a", takeOne());
  }

  @Test
  void afterTheBackOffAddsWorkAsBefore() {
    queue.retryAfter("a", Duration.ofSeconds(2));
    clock.advance(Duration.ofSeconds(2));
    assertEquals("a", takeOne());

    queue.add("a");
    assertEquals("a", takeOne(), "the hold ended with the retry");
  }

  @Test
  void otherKeysAreNotHeld() {
    queue.retryAfter("a", Duration.ofSeconds(10));
    queue.add("b");

    assertEquals("b", takeOne());
    assertEquals(1, queue.depth(), "a still waits");
  }
}
