package io.staticlet.core.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.staticlet.core.pod.PodKey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventBufferTest {
  private static PodEvent event(String message) {
    return new PodEvent(
        new PodKey("default", "web"),
        "uid",
        "",
        EventType.NORMAL,
        "Started",
        message,
        Instant.EPOCH);
  }

  @Test
  void aFullBufferDropsTheOldestAndNeverBlocks() throws InterruptedException {
    EventBuffer buffer = new EventBuffer(2);

    buffer.record(event("1"));
    buffer.record(event("2"));
    buffer.record(event("3"));

    assertEquals(1, buffer.dropped());
    assertEquals("2", buffer.poll(Duration.ZERO).message());
    assertEquals("3", buffer.poll(Duration.ZERO).message());
    assertNull(buffer.poll(Duration.ZERO));
  }
}
