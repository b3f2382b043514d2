package io.staticlet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Static pod manifests (a busybox container running a script) and writing them the way people and
 * editors do. What the e2e tests and the benchmarks run alike.
 */
public final class Manifests {
  /**
   * The app image every test and benchmark pod runs (built locally by
   * deploy/images/build-images.sh).
   */
  public static final String IMAGE = "staticlet/busybox:1.36";

  /** The agent's default infra (sandbox) image. */
  public static final String PAUSE_IMAGE = "registry.k8s.io/pause:3.10";

  /** Runs until SIGTERM, then exits 0. */
  public static final String SERVICE_SCRIPT = "trap 'exit 0' TERM; while true; do sleep 1; done";

  /** The pods' {@code terminationGracePeriodSeconds}. */
  public static final int GRACE_SECONDS = 5;

  /** The namespace of the pods (none is given: the agent's default). */
  public static final String NAMESPACE = "default";

  private Manifests() {}

  /** A pod with one busybox container running {@code script} under {@code sh -c}. */
  public static String pod(String name, String script) {
    return pod(name, script, "");
  }

  /**
   * As {@link #pod(String, String)} with extra lines appended to the pod spec (indented two
   * spaces).
   */
  public static String pod(String name, String script, String extraSpec) {
    return pod(name, script, "", extraSpec);
  }

  /**
   * A pod named {@code name} with container {@code app} running {@code script}; {@code container}
   * is YAML at the container's level, {@code spec} at the pod spec's level (either may be "").
   */
  public static String pod(String name, String script, String container, String spec) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
        spec:
          terminationGracePeriodSeconds: %d
          containers:
          - name: app
            image: %s
            command: ["sh", "-c", %s]
        %s%s"""
        .formatted(
            name,
            GRACE_SECONDS,
            IMAGE,
            quote(script),
            container.isEmpty() ? "" : container.stripIndent().indent(4),
            spec.isEmpty() ? "" : spec.stripIndent().indent(2));
  }

  /** A container that runs until SIGTERM. */
  public static String service(String name) {
    return pod(name, SERVICE_SCRIPT);
  }

  /**
   * {@code <prefix>-0.yaml} … {@code <prefix>-<n-1>.yaml} in {@code dir}, each a {@link #service};
   * returns the names.
   */
  public static List<String> services(Path dir, String prefix, int n) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String name = prefix + "-" + i;
      write(dir.resolve(name + ".yaml"), service(name));
      names.add(name);
    }
    return names;
  }

  /** {@code s} as a double-quoted YAML scalar. */
  public static String quote(String s) {
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

  /**
   * GNU {@code sed -i}: a temporary {@code sedXXXXXX} next to the file, written in place, renamed
   * over it.
   */
  public static void sedInPlace(Path file, String content) {
    try {
      Path temp =
          file.resolveSibling("sed" + Long.toString(System.nanoTime() % 2_000_000_000L, 36));
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
   * swaps {@code ..data} by renaming {@code ..data_tmp} over it, then removes the old directory.
   * The first call lays the volume out.
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
