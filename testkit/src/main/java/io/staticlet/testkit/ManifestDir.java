package io.staticlet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An agent's {@code --pod-manifest-path} whose manifests appear atomically, in two steps when the
 * instant matters: {@link #stage} writes a hidden temporary file, {@link #publish} renames it into
 * place.
 */
public record ManifestDir(Path dir) {

  public ManifestDir {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stages a {@link Manifests#service} named {@code name}; {@link #publish} is the instant the
   * agent can see it.
   */
  public Path stage(String name) {
    return stage(name, Manifests.service(name));
  }

  /** As {@link #stage(String)} with a manifest of its own. */
  public Path stage(String name, String manifest) {
    try {
      Path tmp = dir.resolve("." + name + ".yaml.tmp");
      Files.writeString(tmp, manifest, StandardCharsets.UTF_8);
      return tmp;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void publish(Path staged) {
    try {
      String name = staged.getFileName().toString();
      Files.move(
          staged,
          dir.resolve(name.substring(1, name.length() - ".tmp".length())),
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void delete(String name) {
    try {
      Files.deleteIfExists(dir.resolve(name + ".yaml"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void deleteAll() {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
