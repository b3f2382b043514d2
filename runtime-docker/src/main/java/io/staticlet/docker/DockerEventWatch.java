package io.staticlet.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.EventsCmd;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.runtime.RuntimeEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams Docker container events about this node's managed containers ({@code
 * label=io.staticlet.managed=true}, {@code label=io.staticlet.node=<node>}, {@code type=container})
 * to a listener as {@link RuntimeEvent}s. The listener is only ever called from the watch's own
 * thread ({@code docker-events}), one event at a time.
 *
 * <p>When the stream ends or fails (engine restart, socket closed) it reconnects with back-off (1 s
 * doubling to 10 s), asks the engine to replay what it still has since the last event seen, and
 * then emits a synthetic {@value #RESYNC} event for every managed container, so a consumer that
 * only enqueues pod keys misses nothing that happened while disconnected. The same resync follows a
 * first connection that only succeeded after failures.
 */
final class DockerEventWatch implements AutoCloseable {
  static final String RESYNC = "resync";
  static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** How often the delivery loop checks whether a quiet stream has ended. */
  private static final Duration FINISH_CHECK = Duration.ofMillis(200);

  /** Container actions that can change what the reconciler sees; exec_*, top, attach... cannot. */
  private static final Set<String> LIFECYCLE_ACTIONS =
      Set.of(
          "create", "start", "restart", "die", "oom", "kill", "stop", "destroy", "pause", "unpause",
          "rename", "update");

  private static final Logger log = LoggerFactory.getLogger(DockerEventWatch.class);

  private final DockerClient docker;
  private final Map<String, String> labelFilter;
  private final Consumer<RuntimeEvent> listener;
  private final Consumer<String> onContainerChanged;
  private final Supplier<List<RuntimeContainer>> managed;
  private final Thread thread;
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile EventStream current;
  private volatile long lastEventNanos;

  /**
   * @param onContainerChanged told the ID of every container an event names (cache invalidation)
   * @param managed lists managed containers for the post-reconnect resync
   */
  DockerEventWatch(
      DockerClient docker,
      String nodeName,
      Consumer<RuntimeEvent> listener,
      Consumer<String> onContainerChanged,
      Supplier<List<RuntimeContainer>> managed,
      ThreadFactory threads) {
    this.docker = docker;
    this.labelFilter = DockerLabels.managedBy(nodeName);
    this.listener = Objects.requireNonNull(listener, "listener");
    this.onContainerChanged = onContainerChanged;
    this.managed = managed;
    this.thread = threads.newThread(this::run);
  }

  /** A factory for the daemon thread {@code docker-events}. */
  static ThreadFactory defaultThreads() {
    return runnable -> {
      Thread t = new Thread(runnable, "docker-events");
      t.setDaemon(true);
      return t;
    };
  }

  DockerEventWatch start() {
    thread.start();
    return this;
  }

  @Override
  public void close() {
    closed.countDown();
    EventStream stream = current;
    if (stream != null) {
      stream.close();
    }
    thread.interrupt();
  }

  private boolean isClosed() {
    return closed.getCount() == 0;
  }

  private void run() {
    Duration backoff = MIN_BACKOFF;
    boolean firstConnection = true;
    while (!isClosed()) {
      EventStream stream = new EventStream();
      current = stream;
      boolean established = false;
      try {
        EventsCmd cmd =
            docker
                .eventsCmd()
                .withLabelFilter(labelFilter)
                .withEventTypeFilter(EventType.CONTAINER);
        long since = lastEventNanos;
        if (!firstConnection && since > 0) {
          cmd.withSince(
              TimeUnit.NANOSECONDS.toSeconds(since)
                  + "."
                  + String.format("%09d", since % 1_000_000_000L));
        }
        cmd.exec(stream);
        if (isClosed()) {
          stream.close();
        }
        established = stream.awaitStarted(CONNECT_TIMEOUT);
        if (established) {
          log.debug("docker event stream connected");
          if (!firstConnection) {
            resync();
          }
          backoff = MIN_BACKOFF;
          deliverUntilFinished(stream);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        // The engine is unreachable (exec failed before streaming) or the resync listing failed:
        // both are retried like a broken stream.
        stream.failed(e);
      } finally {
        stream.close();
        firstConnection = false;
      }
      if (isClosed()) {
        break;
      }
      log.warn(
          "docker event stream {}; reconnecting in {} ms error={}",
          established ? "ended" : "could not connect",
          backoff.toMillis(),
          describe(stream.error()));
      try {
        if (closed.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
    log.debug("docker event watch stopped");
  }

  /**
   * Hands the stream's events to the listener on this thread until the stream ends and is drained.
   */
  private void deliverUntilFinished(EventStream stream) throws InterruptedException {
    while (!stream.isFinished() || !stream.queue.isEmpty()) {
      Event event = stream.queue.poll(FINISH_CHECK.toMillis(), TimeUnit.MILLISECONDS);
      if (event != null) {
        onEvent(event);
      }
    }
  }

  /** After a gap, tell the listener about every pod we manage; it re-reads them anyway. */
  private void resync() {
    List<RuntimeContainer> containers = managed.get();
    for (RuntimeContainer c : containers) {
      onContainerChanged.accept(c.id());
      deliver(new RuntimeEvent(c.pod(), c.id(), RESYNC));
    }
    log.info("docker event stream reconnected; resynced containers={}", containers.size());
  }

  private void deliver(RuntimeEvent event) {
    try {
      listener.accept(event);
    } catch (RuntimeException e) {
      log.warn("runtime event listener failed pod={} action={}", event.pod(), event.action(), e);
    }
  }

  private void onEvent(Event event) {
    if (event.getTimeNano() != null) {
      lastEventNanos = Math.max(lastEventNanos, event.getTimeNano());
    } else if (event.getTime() != null) {
      lastEventNanos = Math.max(lastEventNanos, TimeUnit.SECONDS.toNanos(event.getTime()));
    }
    toRuntimeEvent(event)
        .ifPresent(
            e -> {
              onContainerChanged.accept(e.containerId());
              deliver(e);
            });
  }

  /** Empty for events about something else or actions that cannot change container state. */
  static Optional<RuntimeEvent> toRuntimeEvent(Event event) {
    if (event.getType() != null && event.getType() != EventType.CONTAINER) {
      return Optional.empty();
    }
    String action = event.getAction() != null ? event.getAction() : event.getStatus();
    if (action == null) {
      return Optional.empty();
    }
    int colon = action.indexOf(':');
    String verb = colon >= 0 ? action.substring(0, colon).trim() : action.trim();
    if (!LIFECYCLE_ACTIONS.contains(verb)) {
      return Optional.empty();
    }
    Map<String, String> attributes =
        event.getActor() == null ? null : event.getActor().getAttributes();
    if (attributes == null) {
      return Optional.empty();
    }
    String namespace = attributes.get(DockerLabels.POD_NAMESPACE);
    String name = attributes.get(DockerLabels.POD_NAME);
    if (namespace == null || name == null) {
      return Optional.empty();
    }
    String id = event.getActor().getId() != null ? event.getActor().getId() : event.getId();
    return Optional.of(new RuntimeEvent(new PodKey(namespace, name), id, verb));
  }

  private static String describe(Throwable error) {
    return error == null ? "none" : DockerErrors.engineMessage(error);
  }

  /** One connection of the event stream; docker-java's reader thread only queues. */
  private static final class EventStream extends StreamCallback<Event> {
    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private volatile Throwable failure;

    @Override
    public void onNext(Event event) {
      queue.add(event);
    }

    void failed(Throwable e) {
      failure = e;
    }

    @Override
    Throwable error() {
      return failure != null ? failure : super.error();
    }
  }
}
