package io.staticlet.bench;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import java.io.Closeable;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * When containers started, from the engine's event stream: the {@code start} event of a container,
 * stamped with the engine's own nanosecond clock ({@code timeNano}), which is the moment {@code
 * docker start} returned, i.e. the process is running. The agent's containers and the baseline's
 * are timed the same way. Every start seen is kept, so a waiter registered after its container
 * started still finds it.
 */
final class ContainerStarts implements Closeable {
  private final List<Start> seen = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private ResultCallback.Adapter<Event> stream;

  private record Start(Map<String, String> labels, Instant at) {}

  private record Waiter(
      Predicate<Map<String, String>> labels, CompletableFuture<Instant> started) {}

  private ContainerStarts() {}

  static ContainerStarts open(Engine engine, Instant since) {
    ContainerStarts starts = new ContainerStarts();
    starts.stream =
        engine
            .streams()
            .eventsCmd()
            .withEventTypeFilter(EventType.CONTAINER)
            .withEventFilter("start")
            .withSince(Long.toString(since.getEpochSecond() - 1))
            .exec(
                new ResultCallback.Adapter<>() {
                  @Override
                  public void onNext(Event event) {
                    starts.onEvent(event);
                  }
                });
    return starts;
  }

  /**
   * Completes with the start time of the first container (also one that already started) whose
   * labels match.
   */
  CompletableFuture<Instant> await(Predicate<Map<String, String>> labels) {
    CompletableFuture<Instant> started = new CompletableFuture<>();
    synchronized (this) {
      for (Start start : seen) {
        if (labels.test(start.labels())) {
          started.complete(start.at());
          return started;
        }
      }
      waiters.add(new Waiter(labels, started));
    }
    return started;
  }

  private void onEvent(Event event) {
    if (event.getActor() == null
        || event.getActor().getAttributes() == null
        || event.getTimeNano() == null) {
      return;
    }
    long nanos = event.getTimeNano();
    Start start =
        new Start(
            Map.copyOf(event.getActor().getAttributes()),
            Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L));
    synchronized (this) {
      seen.add(start);
      waiters.removeIf(
          w -> {
            if (w.labels().test(start.labels())) {
              w.started().complete(start.at());
              return true;
            }
            return false;
          });
    }
  }

  @Override
  public void close() throws IOException {
    if (stream != null) {
      stream.close();
    }
  }
}
