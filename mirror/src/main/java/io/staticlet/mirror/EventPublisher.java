package io.staticlet.mirror;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.staticlet.core.events.EventBuffer;
import io.staticlet.core.events.EventCorrelator;
import io.staticlet.core.events.PodEvent;
import io.staticlet.core.status.KubeTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the agent's pod events as {@code v1 Event}s, one thread, in order. Like the kubelet:
 * source component {@code kubelet} on this host, the involved object is the pod with the
 * <em>static</em> pod's UID (kubectl describe of a mirror looks events up by its {@code
 * kubernetes.io/config.mirror} annotation, which is that UID), a repeat patches the first Event's
 * count ({@link EventCorrelator}), and the API calls have their own small rate (5/s, burst 10) so
 * events never delay a mirror. While the API server is away events wait (the buffer drops the
 * oldest when full); events older than {@link #MAX_AGE} are dropped.
 *
 * <p>Concurrency contract: {@link #run()} is the loop of one thread of its own (started by
 * ClusterLoops), the buffer's only consumer; it blocks on the buffer (at most 200 ms per poll) and
 * on one API call at a time. The pending events and the correlator belong to that thread alone. The
 * reconcile loop records into the buffer and never waits for this thread. {@link #pending()},
 * {@link #dropped()} and {@link #close()} may be called from any thread; close interrupts the loop.
 */
final class EventPublisher implements Runnable, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
  static final Duration MAX_AGE = Duration.ofMinutes(2);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final int MAX_PENDING = 100;

  private final KubernetesClient client;
  private final ApiCalls calls;
  private final EventBuffer buffer;
  private final String nodeName;
  private final Clock clock;
  private final EventCorrelator correlator;
  // written by the publishing thread alone; concurrent so that pending() may count it from any
  // thread, also while a batch of 100 is being written (20 s at 5/s)
  private final Deque<PodEvent> pending = new ConcurrentLinkedDeque<>();
  private final AtomicLong dropped = new AtomicLong();
  private volatile boolean closed;
  private volatile Thread thread;
  private Instant unavailableUntil = Instant.MIN;

  EventPublisher(
      KubernetesClient client, ApiCalls calls, EventBuffer buffer, String nodeName, Clock clock) {
    this.client = client;
    this.calls = calls;
    this.buffer = buffer;
    this.nodeName = nodeName;
    this.clock = clock;
    this.correlator = new EventCorrelator(clock);
  }

  @Override
  public void run() {
    thread = Thread.currentThread();
    while (!closed) {
      try {
        step(POLL);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("event publisher error, continuing error={}", e.toString());
      }
    }
  }

  /**
   * Takes what the buffer holds (waiting at most {@code wait} for the first), then publishes what
   * it can.
   */
  void step(Duration wait) throws InterruptedException {
    if (pending.size() < MAX_PENDING) {
      PodEvent next = buffer.poll(wait);
      while (next != null) {
        pending.addLast(next);
        next = pending.size() < MAX_PENDING ? buffer.poll(Duration.ZERO) : null;
      }
    } else {
      TimeUnit.NANOSECONDS.sleep(wait.toNanos()); // the rest waits in the buffer
    }
    publishPending();
  }

  private void publishPending() {
    Instant now = clock.instant();
    int before = pending.size();
    pending.removeIf(e -> Duration.between(e.at(), now).compareTo(MAX_AGE) > 0);
    dropped.addAndGet(before - pending.size());
    if (now.isBefore(unavailableUntil)) {
      return;
    }
    for (Iterator<PodEvent> it = pending.iterator(); it.hasNext(); ) {
      PodEvent event = it.next();
      try {
        publish(event);
        it.remove();
      } catch (ApiCallException e) {
        if (e.kind() == ApiErrorKind.UNAVAILABLE) {
          unavailableUntil = now.plus(RETRY);
          return; // keep it and everything after it, in order
        }
        it.remove();
        dropped.incrementAndGet();
        log.debug(
            "event not published pod={} reason={} error={}",
            event.pod(),
            event.reason(),
            e.getMessage());
      }
    }
  }

  private void publish(PodEvent event) {
    EventCorrelator.Decision decision = correlator.decide(event);
    if (decision instanceof EventCorrelator.Drop) {
      dropped.incrementAndGet();
      return;
    }
    if (decision instanceof EventCorrelator.Update u) {
      try {
        String patch =
            "{\"count\":" + u.count() + ",\"lastTimestamp\":\"" + KubeTime.format(u.last()) + "\"}";
        calls.call(
            "patch event " + event.pod().namespace() + "/" + u.name(),
            () ->
                client
                    .v1()
                    .events()
                    .inNamespace(event.pod().namespace())
                    .withName(u.name())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), patch));
        correlator.published(u);
        return;
      } catch (ApiCallException e) {
        if (e.kind() != ApiErrorKind.NOT_FOUND) {
          throw e;
        }
        correlator.forget(event); // expired on the server (1 h TTL): start a new one
        decision = correlator.decide(event);
        if (!(decision instanceof EventCorrelator.Create)) {
          return;
        }
      }
    }
    EventCorrelator.Create c = (EventCorrelator.Create) decision;
    Event body = toEvent(c);
    calls.call(
        "create event " + event.pod().namespace() + "/" + c.name(),
        () -> client.v1().events().inNamespace(event.pod().namespace()).resource(body).create());
    correlator.published(c);
  }

  Event toEvent(EventCorrelator.Create c) {
    PodEvent e = c.event();
    String time = KubeTime.format(c.first());
    return new EventBuilder()
        .withNewMetadata()
        .withName(c.name())
        .withNamespace(e.pod().namespace())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion("v1")
        .withKind("Pod")
        .withNamespace(e.pod().namespace())
        .withName(e.pod().name())
        .withUid(e.podUid())
        .withFieldPath(e.fieldPath().isEmpty() ? null : e.fieldPath())
        .endInvolvedObject()
        .withType(e.type().apiValue())
        .withReason(e.reason())
        .withMessage(e.message())
        .withCount(1)
        .withFirstTimestamp(time)
        .withLastTimestamp(time)
        .withNewSource()
        .withComponent("kubelet")
        .withHost(nodeName)
        .endSource()
        .withReportingComponent("staticlet")
        .withReportingInstance(nodeName)
        .build();
  }

  /** Events taken from the buffer and not yet written or given up. */
  int pending() {
    return pending.size();
  }

  /** Events given up: rate-limited, rejected, or too old. */
  long dropped() {
    return dropped.get();
  }

  @Override
  public void close() {
    closed = true;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }
}
