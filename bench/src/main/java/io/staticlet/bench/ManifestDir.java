package io.staticlet.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The agent's {@code --pod-manifest-path}: manifests appear atomically (hidden temp file, then rename). */
record ManifestDir(Path dir) {

  ManifestDir {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the staged file first; {@link #publish} is the instant the agent can see it. */
  Path stage(String name) {
    return stage(name, Workload.manifest(name));
  }

  /** As {@link #stage(String)} with a manifest of its own. */
  Path stage(String name, String manifest) {
    try {
      Path tmp = dir.resolve("." + name + ".yaml.tmp");
      Files.writeString(tmp, manifest, StandardCharsets.UTF_8);
      return tmp;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void publish(Path staged) {
    try {
      String name = staged.getFileName().toString();
      Files.move(staged, dir.resolve(name.substring(1, name.length() - ".tmp".length())), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void delete(String name) {
    try {
      Files.deleteIfExists(dir.resolve(name + ".yaml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void deleteAll() {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
