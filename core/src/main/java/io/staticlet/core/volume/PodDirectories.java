package io.staticlet.core.volume;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Pattern;

/**
 * The kubelet's on-disk layout under the root directory, per pod UID: {@code
 * pods/<uid>/volumes/kubernetes.io~empty-dir/<name>} and {@code
 * pods/<uid>/containers/<name>/<attempt>/termination-log}.
 */
public final class PodDirectories {
  /** UIDs and names become path segments: refuse anything that could escape the root. */
  private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final Path root;

  public PodDirectories(Path root) {
    this.root = root;
  }

  public Path pod(String uid) {
    return root.resolve("pods").resolve(segment(uid));
  }

  public Path emptyDir(String uid, String volume) {
    return pod(uid).resolve("volumes").resolve("kubernetes.io~empty-dir").resolve(segment(volume));
  }

  public Path terminationLog(String uid, String container, int attempt) {
    return pod(uid)
        .resolve("containers")
        .resolve(segment(container))
        .resolve(Integer.toString(attempt))
        .resolve("termination-log");
  }

  /**
   * Deletes everything kept for the pod; symbolic links are removed, never followed. Idempotent.
   */
  public void deletePod(String uid) throws IOException {
    Path dir = pod(uid);
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
            if (exc instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw exc;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
            if (exc != null && !(exc instanceof NoSuchFileException)) {
              throw exc;
            }
            Files.deleteIfExists(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static String segment(String value) {
    if (value == null || !SAFE_SEGMENT.matcher(value).matches() || value.contains("..")) {
      throw new IllegalArgumentException("unsafe path segment: " + value);
    }
    return value;
  }
}
