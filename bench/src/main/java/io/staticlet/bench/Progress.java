package io.staticlet.bench;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** One line per step on stderr, so a 10-minute run shows where it is. */
final class Progress {
  private Progress() {}

  static void say(String format, Object... args) {
    System.err.println(
        "bench "
            + LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
            + " "
            + String.format(Locale.ROOT, format, args));
  }
}
