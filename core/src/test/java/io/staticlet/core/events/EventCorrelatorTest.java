package io.staticlet.core.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventCorrelatorTest {
  private final ManualClock clock = new ManualClock();
  private final EventCorrelator correlator = new EventCorrelator(clock);
  private final PodKey web = new PodKey("default", "web-node1");

  private PodEvent event(String reason, String message) {
    return new PodEvent(
        web,
        "uid-1",
        PodEvent.container("app"),
        EventType.WARNING,
        reason,
        message,
        clock.instant());
  }

  private EventCorrelator.Decision publish(PodEvent e) {
    EventCorrelator.Decision d = correlator.decide(e);
    correlator.published(d);
    return d;
  }

  @Test
  void aRepeatUpdatesTheFirstEventsCountInsteadOfCreatingAnother() {
    EventCorrelator.Create first =
        assertInstanceOf(EventCorrelator.Create.class, publish(event("BackOff", "Back-off")));
    clock.advance(Duration.ofSeconds(10));

    EventCorrelator.Update second =
        assertInstanceOf(EventCorrelator.Update.class, publish(event("BackOff", "Back-off")));
    EventCorrelator.Update third =
        assertInstanceOf(EventCorrelator.Update.class, publish(event("BackOff", "Back-off")));

    assertEquals(first.name(), second.name());
    assertEquals(2, second.count());
    assertEquals(3, third.count());
    assertEquals(first.first(), third.first());
    assertEquals(clock.instant(), third.last());
    assertInstanceOf(
        EventCorrelator.Create.class, correlator.decide(event("BackOff", "another message")));
  }

  @Test
  void namesAreThePodsNameAndUniqueEvenAtTheSameInstant() {
    EventCorrelator.Create a =
        assertInstanceOf(EventCorrelator.Create.class, publish(event("Created", "a")));
    EventCorrelator.Create b =
        assertInstanceOf(EventCorrelator.Create.class, publish(event("Created", "b")));

    assertNotEquals(a.name(), b.name());
    assertEquals("web-node1", a.name().substring(0, a.name().indexOf('.')));
  }

  @Test
  void eachPodGets25EventsThenOneEveryFiveMinutes() {
    for (int i = 0; i < EventCorrelator.BURST; i++) {
      assertInstanceOf(EventCorrelator.Create.class, publish(event("Unhealthy", "failure " + i)));
    }
    assertInstanceOf(
        EventCorrelator.Drop.class, correlator.decide(event("Unhealthy", "one too many")));
    PodEvent otherPod =
        new PodEvent(
            new PodKey("default", "db-node1"),
            "uid-2",
            "",
            EventType.NORMAL,
            "Started",
            "x",
            clock.instant());
    assertInstanceOf(
        EventCorrelator.Create.class, correlator.decide(otherPod), "the limit is per pod");

    clock.advance(Duration.ofMinutes(5));
    assertInstanceOf(
        EventCorrelator.Create.class, publish(event("Unhealthy", "after five minutes")));
    assertInstanceOf(
        EventCorrelator.Drop.class, correlator.decide(event("Unhealthy", "and again")));
  }

  @Test
  void aForgottenEventIsCreatedAgain() {
    PodEvent e = event("BackOff", "Back-off");
    publish(e);

    correlator.forget(e);

    assertInstanceOf(EventCorrelator.Create.class, correlator.decide(e));
  }
}
