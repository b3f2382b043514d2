package io.staticlet.e2e.release;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One host command with a deadline, stdin from {@code /dev/null} (so a prompt cannot wait for an
 * answer) and its output kept in a file until it exits (so a command that never ends is killed at
 * its deadline instead of blocking the reader).
 */
record HostCommand(int exitCode, String output) {
  static HostCommand run(List<String> cmd, Duration timeout) {
    try {
      Path out = Files.createTempFile("host-command-", ".out");
      try {
        Process p =
            new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          throw new AssertionError(
              String.join(" ", cmd)
                  + " did not finish within "
                  + timeout
                  + ":\n"
                  + Files.readString(out));
        }
        return new HostCommand(p.exitValue(), Files.readString(out));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** As {@link #run}, failing when the command exits non-zero; returns its output. */
  static String ok(List<String> cmd, Duration timeout) {
    HostCommand result = run(cmd, timeout);
    if (result.exitCode() != 0) {
      throw new AssertionError(
          String.join(" ", cmd) + " exited " + result.exitCode() + ":\n" + result.output());
    }
    return result.output();
  }
}
