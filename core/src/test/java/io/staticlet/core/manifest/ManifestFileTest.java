package io.staticlet.core.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestFileTest {
  @TempDir Path dir;

  @Test
  void aFileThatGrowsAfterItsStateWasReadIsReadAsThePrefixThatWasChecked() throws IOException {
    Path file = dir.resolve("big.yaml");
    Files.writeString(file, "metadata:\n  annotations:\n    huge: \"aaaa");
    ManifestFile.State before = ManifestFile.state(file);
    byte[] prefix = Files.readAllBytes(file);
    byte[] prefixDigest = ManifestFile.newDigest().digest(prefix);

    // the writer goes on while the re-list reads (a leading-edge re-list runs mid-write)
    Files.writeString(file, "a".repeat(100_000) + "\"\n", StandardOpenOption.APPEND);

    try (InputStream in = ManifestFile.open(file, before.size())) {
      assertEquals(
          new String(prefix, StandardCharsets.UTF_8),
          new String(in.readAllBytes(), StandardCharsets.UTF_8),
          "every pass (hash, value scan, token scan, decode) sees the same checked prefix");
    }
    assertArrayEquals(prefixDigest, ManifestFile.sha256(file, before.size()));
  }
}
