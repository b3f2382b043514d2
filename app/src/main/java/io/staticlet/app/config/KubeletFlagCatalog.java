package io.staticlet.app.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every flag the kubelet v1.20.2 accepts, read from {@code kubelet-1.20-flags.txt} (taken from the
 * kubelet's source; see the file's header), with whether pflag reads it as a boolean.
 */
final class KubeletFlagCatalog {
  enum Kind {
    BOOL,
    VALUE
  }

  private static final Map<String, Kind> FLAGS = load();

  private KubeletFlagCatalog() {}

  /**
   * The kind of kubelet flag {@code name} (without dashes, '-' separated), empty if the kubelet
   * does not know it.
   */
  static Optional<Kind> kind(String name) {
    return Optional.ofNullable(FLAGS.get(name));
  }

  private static Map<String, Kind> load() {
    Map<String, Kind> flags = new HashMap<>();
    try (InputStream in = KubeletFlagCatalog.class.getResourceAsStream("kubelet-1.20-flags.txt");
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.trim().split("\\s+");
        flags.put(parts[0], "bool".equals(parts[1]) ? Kind.BOOL : Kind.VALUE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(flags);
  }
}
