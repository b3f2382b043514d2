package io.staticlet.bench;

import java.time.Duration;
import java.time.Instant;

/** The bench's time budget: a benchmark that no longer fits is skipped (its rows say so). */
record Deadline(Instant end) {

  static Deadline in(Duration budget) {
    return new Deadline(Instant.now().plus(budget));
  }

  boolean allows(Duration needed) {
    return Instant.now().plus(needed).isBefore(end);
  }

  Duration remaining() {
    Duration left = Duration.between(Instant.now(), end);
    return left.isNegative() ? Duration.ZERO : left;
  }
}
