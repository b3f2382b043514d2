package io.staticlet.core.status;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Kubernetes timestamps: RFC 3339 in UTC with whole seconds ({@code metav1.Time}). */
public final class KubeTime {
  private KubeTime() {}

  public static String format(Instant instant) {
    return instant == null
        ? null
        : DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /** {@code instant} to whole seconds, as the API keeps it; null stays null. */
  public static Instant truncate(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS);
  }

  /** The kubelet's {@code config.seen} form: nanoseconds, fixed width. */
  public static String formatNanos(Instant instant) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
        .withZone(ZoneOffset.UTC)
        .format(instant);
  }

  public static Instant parse(String text) {
    return text == null || text.isEmpty() ? null : Instant.parse(text);
  }
}
