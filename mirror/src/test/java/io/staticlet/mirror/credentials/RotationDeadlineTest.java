package io.staticlet.mirror.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RotationDeadlineTest {
  private static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
  private final ClientCertificate tenDays =
      new TestCa().nodeCertificate("n", NOT_BEFORE, NOT_BEFORE.plus(Duration.ofDays(10)));

  @Test
  void renewsBetweenSeventyAndNinetyPercentOfTheLifetime() {
    assertEquals(NOT_BEFORE.plus(Duration.ofDays(7)), RotationDeadline.of(tenDays, () -> 0.0));
    assertEquals(NOT_BEFORE.plus(Duration.ofDays(8)), RotationDeadline.of(tenDays, () -> 0.5));
    assertEquals(
        NOT_BEFORE.plus(Duration.ofHours(9 * 24).minusMillis(1)),
        RotationDeadline.of(tenDays, () -> 0.999999999));
  }

  @Test
  void jitterSpreadsNodesOverTheWholeWindow() {
    Random random = new Random(42);
    Instant earliest = Instant.MAX;
    Instant latest = Instant.MIN;
    for (int i = 0; i < 1000; i++) {
      Instant d = RotationDeadline.of(tenDays, random::nextDouble);
      assertTrue(
          !d.isBefore(NOT_BEFORE.plus(Duration.ofDays(7)))
              && d.isBefore(NOT_BEFORE.plus(Duration.ofDays(9))),
          d.toString());
      earliest = d.isBefore(earliest) ? d : earliest;
      latest = d.isAfter(latest) ? d : latest;
    }
    assertTrue(
        Duration.between(earliest, latest).compareTo(Duration.ofHours(40)) > 0,
        "spread " + earliest + ".." + latest);
  }
}
