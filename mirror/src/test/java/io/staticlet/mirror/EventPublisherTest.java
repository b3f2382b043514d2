package io.staticlet.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.staticlet.core.events.EventBuffer;
import io.staticlet.core.events.KubeletEvents;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pod events as v1 Events, against fabric8's CRUD mock; the publishing thread is driven by hand.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = NodeLikeClient.class)
class EventPublisherTest {
  KubernetesMockServer server;
  KubernetesClient client;

  private final ManualClock clock = new ManualClock();
  private final EventBuffer buffer = new EventBuffer();
  private final KubeletEvents events = new KubeletEvents(buffer, clock);
  private final PodKey web = new PodKey("default", "web-node1");
  private EventPublisher publisher;

  @BeforeEach
  void setUp() {
    ApiHealth health = new ApiHealth(clock);
    publisher =
        new EventPublisher(
            client, new ApiCalls(ApiRateLimiter.unlimited(), health), buffer, MockApi.NODE, clock);
  }

  private List<Event> serverEvents() {
    return client.v1().events().inNamespace("default").list().getItems();
  }

  @Test
  void anEventNamesThePodWithTheStaticUidThatKubectlDescribeOfTheMirrorLooksFor()
      throws InterruptedException {
    events.started(web, "static-uid", ContainerRole.APP, "app");
    publisher.step(Duration.ZERO);

    Event e = serverEvents().get(0);
    assertEquals("Started", e.getReason());
    assertEquals("Started container app", e.getMessage());
    assertEquals("Normal", e.getType());
    assertEquals(1, e.getCount());
    assertEquals("Pod", e.getInvolvedObject().getKind());
    assertEquals("web-node1", e.getInvolvedObject().getName());
    assertEquals(
        "static-uid", e.getInvolvedObject().getUid(), "the mirror's kubernetes.io/config.mirror");
    assertEquals("spec.containers{app}", e.getInvolvedObject().getFieldPath());
    assertEquals("kubelet", e.getSource().getComponent());
    assertEquals(MockApi.NODE, e.getSource().getHost());
    assertTrue(e.getMetadata().getName().startsWith("web-node1."), e.getMetadata().getName());
  }

  @Test
  void aRepeatRaisesTheCountOfTheSameEvent() throws InterruptedException {
    events.backOff(web, "static-uid", ContainerRole.APP, "app");
    publisher.step(Duration.ZERO);
    clock.advance(Duration.ofSeconds(20));

    events.backOff(web, "static-uid", ContainerRole.APP, "app");
    events.backOff(web, "static-uid", ContainerRole.APP, "app");
    publisher.step(Duration.ZERO);

    List<Event> all = serverEvents();
    assertEquals(1, all.size(), "one Event, counted");
    assertEquals(3, all.get(0).getCount());
    assertEquals(
        clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
        all.get(0).getLastTimestamp());
  }

  @Test
  void pendingCountsTheEventsNotYetWrittenWhileABurstIsBeingWritten() throws InterruptedException {
    // the limiter reads its clock right before each call: record what pending() says then
    List<Integer> pendingBeforeEachCall = new ArrayList<>();
    EventPublisher[] self = new EventPublisher[1];
    ApiRateLimiter limiter =
        new ApiRateLimiter(
            1e9,
            1000,
            () -> {
              if (self[0] != null) {
                pendingBeforeEachCall.add(self[0].pending());
              }
              return System.nanoTime();
            });
    self[0] =
        new EventPublisher(
            client, new ApiCalls(limiter, new ApiHealth(clock)), buffer, MockApi.NODE, clock);
    events.started(web, "static-uid", ContainerRole.APP, "a");
    events.started(web, "static-uid", ContainerRole.APP, "b");
    events.started(web, "static-uid", ContainerRole.APP, "c");

    self[0].step(Duration.ZERO);

    assertEquals(
        List.of(3, 2, 1),
        pendingBeforeEachCall,
        "staticlet_events_pending counts down while the burst is written, not 0 until it is done");
    assertEquals(0, self[0].pending());
    assertEquals(3, serverEvents().size());
  }

  @Test
  void eventsOlderThanTwoMinutesAreDroppedNotPublished() throws InterruptedException {
    events.started(web, "static-uid", ContainerRole.APP, "app");
    clock.advance(EventPublisher.MAX_AGE.plusSeconds(1));

    publisher.step(Duration.ZERO);

    assertEquals(List.of(), serverEvents());
    assertEquals(1, publisher.dropped());
    assertNull(buffer.poll(Duration.ZERO));
  }
}
