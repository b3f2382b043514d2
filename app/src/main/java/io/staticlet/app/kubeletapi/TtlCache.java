package io.staticlet.app.kubeletapi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A small bounded cache whose entries expire after their own time to live (on the injected clock).
 */
final class TtlCache<K, V> {
  private record Entry<V>(V value, Instant expires) {}

  private final Clock clock;
  private final Map<K, Entry<V>> entries;

  TtlCache(Clock clock, int maxEntries) {
    this.clock = clock;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, Entry<V>> eldest) {
            return size() > maxEntries;
          }
        };
  }

  synchronized Optional<V> get(K key) {
    Entry<V> e = entries.get(key);
    if (e == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(e.expires())) {
      entries.remove(key);
      return Optional.empty();
    }
    return Optional.of(e.value());
  }

  synchronized void put(K key, V value, Duration ttl) {
    if (ttl.isZero() || ttl.isNegative()) {
      return;
    }
    entries.put(key, new Entry<>(value, clock.instant().plus(ttl)));
  }
}
