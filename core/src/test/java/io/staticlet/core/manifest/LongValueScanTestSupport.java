package io.staticlet.core.manifest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Runs {@link LongValueScan} over a string. */
final class LongValueScanTestSupport {
  private LongValueScanTestSupport() {}

  static String check(String yaml) {
    try {
      return LongValueScan.check(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
