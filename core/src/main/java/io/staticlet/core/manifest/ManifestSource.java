package io.staticlet.core.manifest;

import java.time.Duration;
import java.util.Objects;

/**
 * A source of static pods: lists its manifests, and whenever they change hands the complete picture
 * to a {@link ManifestListener} (DECISIONS.md 6). The one implementation is {@link
 * ManifestDirectorySource}.
 */
public interface ManifestSource extends AutoCloseable {

  /**
   * Lists once, synchronously (the listener has the first snapshot when this returns), then
   * watches.
   */
  void start();

  /** Lists again now, synchronously. */
  void relistNow();

  /** Stops watching and listing. Idempotent. Pods are not touched. */
  @Override
  void close();

  /**
   * Timing of a source.
   *
   * @param fileCheckFrequency period of the full re-list that runs regardless of file-system events
   *     (the kubelet's {@code fileCheckFrequency}, default 20 s)
   * @param debounce quiet time after the last file-system event before the confirming re-list, the
   *     one that may stop or replace pods (default 200 ms); a burst of events never delays it by
   *     more than {@link #maxDebounce()}. New pods do not wait for it: the first event re-lists at
   *     once.
   */
  record Settings(Duration fileCheckFrequency, Duration debounce) {
    public static final Duration DEFAULT_FILE_CHECK_FREQUENCY = Duration.ofSeconds(20);
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(200);

    public Settings {
      Objects.requireNonNull(fileCheckFrequency, "fileCheckFrequency");
      Objects.requireNonNull(debounce, "debounce");
      if (fileCheckFrequency.isNegative() || fileCheckFrequency.isZero()) {
        throw new IllegalArgumentException(
            "fileCheckFrequency must be positive: " + fileCheckFrequency);
      }
      if (debounce.isNegative()) {
        throw new IllegalArgumentException("debounce must not be negative: " + debounce);
      }
    }

    public static Settings defaults() {
      return new Settings(DEFAULT_FILE_CHECK_FREQUENCY, DEFAULT_DEBOUNCE);
    }

    /**
     * Five debounce windows: the longest a steady stream of events can hold the confirming re-list
     * back.
     */
    public Duration maxDebounce() {
      return debounce.multipliedBy(5);
    }
  }
}
