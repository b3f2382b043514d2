package io.staticlet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsDefaultsTest {
  @Test
  void benchOptionsDefaultToNoJvmOptionsAndKnowB7AndB8() {
    BenchOptions options = BenchOptions.parse(new String[] {"--repo", "/repo", "--only", "B7,b8"});

    assertEquals(List.of(), options.agentJvmOptions());
    assertEquals(Path.of("/repo/deploy/bin/staticlet"), options.launcher());
    assertEquals(110, options.probedPods());
    assertTrue(options.runs("B7") && options.runs("B8") && !options.runs("B1"));
  }
}
