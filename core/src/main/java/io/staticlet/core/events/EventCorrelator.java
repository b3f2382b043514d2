package io.staticlet.core.events;

import io.staticlet.core.pod.PodKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides what an event becomes in the API, like client-go's correlator for the kubelet:
 *
 * <ul>
 *   <li>a repeat of an event already published (same pod, container, type, reason and message)
 *       updates that Event's {@code count} and {@code lastTimestamp} instead of creating another;
 *   <li>each pod incarnation gets a token bucket (25 events, then one per 5 minutes): a crash loop
 *       or a failing probe cannot flood the API server.
 * </ul>
 *
 * Not thread-safe: owned by the one publishing thread. Memory is bounded (LRU of {@value
 * #MAX_KEYS}).
 */
public final class EventCorrelator {
  static final int MAX_KEYS = 4096;
  static final int BURST = 25;
  static final Duration REFILL = Duration.ofMinutes(5);

  /** What to do with one event. */
  public sealed interface Decision {}

  /** Create a new Event named {@code name}. */
  public record Create(String name, PodEvent event, Instant first) implements Decision {}

  /** Patch the existing Event {@code name} to {@code count} and {@code last}. */
  public record Update(String name, PodEvent event, int count, Instant first, Instant last)
      implements Decision {}

  /** Over the pod's rate: not published. */
  public record Drop(PodEvent event) implements Decision {}

  private record Key(
      PodKey pod, String podUid, String fieldPath, EventType type, String reason, String message) {
    static Key of(PodEvent e) {
      return new Key(e.pod(), e.podUid(), e.fieldPath(), e.type(), e.reason(), e.message());
    }
  }

  private record Aggregate(String name, int count, Instant first) {}

  private record Bucket(double tokens, Instant at) {}

  private final Clock clock;
  private final Map<Key, Aggregate> published = lru();
  private final Map<String, Bucket> buckets = lru();
  private long lastNanos;

  public EventCorrelator(Clock clock) {
    this.clock = clock;
  }

  public Decision decide(PodEvent event) {
    Instant now = clock.instant();
    if (!takeToken(event.pod() + "/" + event.podUid(), now)) {
      return new Drop(event);
    }
    Aggregate seen = published.get(Key.of(event));
    if (seen != null) {
      return new Update(seen.name(), event, seen.count() + 1, seen.first(), now);
    }
    return new Create(newName(event.pod(), now), event, now);
  }

  /** The API took the decision: later repeats update this Event. */
  public void published(Decision decision) {
    if (decision instanceof Create c) {
      published.put(Key.of(c.event()), new Aggregate(c.name(), 1, c.first()));
    } else if (decision instanceof Update u) {
      published.put(Key.of(u.event()), new Aggregate(u.name(), u.count(), u.first()));
    }
  }

  /** The Event is gone from the API (expired): the next repeat creates a new one. */
  public void forget(PodEvent event) {
    published.remove(Key.of(event));
  }

  private boolean takeToken(String object, Instant now) {
    Bucket b = buckets.getOrDefault(object, new Bucket(BURST, now));
    double refilled =
        Math.min(
            BURST,
            b.tokens() + (double) Duration.between(b.at(), now).toMillis() / REFILL.toMillis());
    if (refilled < 1) {
      buckets.put(object, new Bucket(refilled, now));
      return false;
    }
    buckets.put(object, new Bucket(refilled - 1, now));
    return true;
  }

  /** The kubelet's name: {@code <pod>.<unix nanos in hex>}, unique within this process. */
  private String newName(PodKey pod, Instant now) {
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    lastNanos = Math.max(nanos, lastNanos + 1);
    return pod.name() + "." + Long.toHexString(lastNanos);
  }

  private static <K, V> Map<K, V> lru() {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > MAX_KEYS;
      }
    };
  }
}
