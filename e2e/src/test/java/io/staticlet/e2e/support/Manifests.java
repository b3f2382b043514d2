package io.staticlet.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes manifest files the way people and editors do. */
public final class Manifests {
  public static final String IMAGE = "staticlet/busybox:1.36";

  private Manifests() {}

  /** A pod with one busybox container running {@code script} under {@code sh -c}. */
  public static String pod(String name, String script) {
    return pod(name, script, "");
  }

  /** As {@link #pod(String, String)} with extra lines appended to the pod spec (indented two spaces). */
  public static String pod(String name, String script, String extraSpec) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
        spec:
          terminationGracePeriodSeconds: 5
          containers:
          - name: app
            image: %s
            command: ["sh", "-c", %s]
        %s""".formatted(name, IMAGE, quote(script), extraSpec.isEmpty() ? "" : extraSpec.indent(2));
  }

  /** A container that runs until SIGTERM. */
  public static String service(String name) {
    return pod(name, "trap 'exit 0' TERM; while true; do sleep 1; done");
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  public static Path write(Path file, String content) {
    try {
      Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Overwrites in place (truncate + write), like {@code cat > file}. */
  public static Path overwrite(Path file, String content) {
    try {
      Files.writeString(file, content, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** vim's save sequence with backups: probe file 4913, rename to x~, write x, delete x~. */
  public static void vimSave(Path file, String content) {
    try {
      Path dir = file.getParent();
      Path probe = dir.resolve("4913");
      Files.writeString(probe, "");
      Files.delete(probe);
      Path backup = dir.resolve(file.getFileName() + "~");
      Files.move(file, backup, StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(file, content, StandardCharsets.UTF_8);
      Files.delete(backup);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** GNU {@code sed -i}: a temporary {@code sedXXXXXX} next to the file, written in place, renamed over it. */
  public static void sedInPlace(Path file, String content) {
    try {
      Path temp = file.resolveSibling("sed" + Long.toString(System.nanoTime() % 2_000_000_000L, 36));
      Files.writeString(temp, "");
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A ConfigMap volume's atomic update (the kubelet's atomic writer): {@code dir/<name>} links to
   * {@code ..data/<name>}, {@code ..data} to a timestamped directory; an update writes a new one,
   * swaps {@code ..data} by renaming {@code ..data_tmp} over it, then removes the old directory. The
   * first call lays the volume out.
   */
  public static void configMapWrite(Path dir, String name, String content) {
    try {
      Path data = dir.resolve("..data");
      Path old = Files.isSymbolicLink(data) ? dir.resolve(Files.readSymbolicLink(data)) : null;
      Path next = Files.createDirectory(dir.resolve("..ts_" + System.nanoTime()));
      Files.writeString(next.resolve(name), content, StandardCharsets.UTF_8);
      Path tmp = dir.resolve("..data_tmp");
      Files.createSymbolicLink(tmp, next.getFileName());
      Files.move(tmp, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Path visible = dir.resolve(name);
      if (!Files.isSymbolicLink(visible)) {
        Files.createSymbolicLink(visible, Path.of("..data", name));
      }
      if (old != null) {
        try (var files = Files.list(old)) {
          for (Path f : files.toList()) {
            Files.delete(f);
          }
        }
        Files.delete(old);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
