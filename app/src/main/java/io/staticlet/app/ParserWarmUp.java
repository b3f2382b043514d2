package io.staticlet.app;

import io.staticlet.core.manifest.ManifestParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses a small built-in manifest once, on its own thread, so neither the start-up listing nor the
 * first manifest dropped into an empty directory pays for loading SnakeYAML, Jackson and the Pod
 * model and for Jackson's introspection of it (about half a second on a cold JVM, even with the AOT
 * cache: docs/performance.md). Begun before the engine client and the agent are built; the agent
 * waits for it just before it lists the manifests. A failure here only costs that time.
 */
final class ParserWarmUp {
  private static final Logger log = LoggerFactory.getLogger(ParserWarmUp.class);
  private static final byte[] POD =
      ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: warm-up\nspec:\n  containers:\n"
              + "  - name: c\n    image: busybox:1.36\n    command: [\"true\"]\n")
          .getBytes(StandardCharsets.UTF_8);

  private final CompletableFuture<Void> done;

  private ParserWarmUp(CompletableFuture<Void> done) {
    this.done = done;
  }

  /**
   * Starts the warm-up parse of {@code <manifestDir>/warm-up.yaml}'s text (never read or written).
   */
  static ParserWarmUp begin(Path manifestDir, String nodeName, Clock clock) {
    CompletableFuture<Void> done =
        NamedThreads.runOnce(
            "parser-warm-up",
            () -> {
              try {
                ManifestParser.parse(
                    POD, manifestDir.resolve("warm-up.yaml"), nodeName, clock.instant());
              } catch (RuntimeException e) {
                log.debug("parser warm-up failed error={}", e.toString());
              }
            });
    return new ParserWarmUp(done);
  }

  /** Returns once the warm-up parse ended, however it ended. */
  void await() {
    done.handle((ignored, error) -> null).join();
  }
}
