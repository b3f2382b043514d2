package io.staticlet.core.container;

import io.fabric8.kubernetes.api.model.Container;
import io.staticlet.core.runtime.ContainerSpec.Mount;
import io.staticlet.core.runtime.ContainerSpecRejectedException;
import io.staticlet.core.runtime.MountPropagation;
import io.staticlet.core.runtime.TerminationMessagePolicy;
import io.staticlet.core.volume.PodDirectories;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Termination messages: the host file bind-mounted at the container's {@code
 * terminationMessagePath}, created empty (mode 0666, any user may write it) before the container,
 * and read back once it exited (at most 4096 bytes). With {@code FallbackToLogsOnError}, an empty
 * file and a failed exit fall back to the log tail (80 lines, at most 2048 bytes), like the
 * kubelet. Core prepares the file when it resolves the container; the runtime reads the message
 * back when it reports the exited container. Thread-safe: each instance's file is written once
 * before its container exists.
 */
public final class TerminationMessages {
  static final int MAX_MESSAGE_BYTES = 4096;

  /**
   * How many log lines the runtime reads for {@link
   * TerminationMessagePolicy#FALLBACK_TO_LOGS_ON_ERROR}.
   */
  public static final int LOG_TAIL_LINES = 80;

  static final int MAX_LOG_TAIL_BYTES = 2048;

  private final PodDirectories dirs;

  public TerminationMessages(PodDirectories dirs) {
    this.dirs = dirs;
  }

  /**
   * Creates the (empty) host file and returns its mount, or empty when the container has no message
   * path.
   *
   * @throws ContainerSpecRejectedException when the file cannot be created
   */
  Optional<Mount> prepare(String podUid, Container container, int attempt) {
    String target = container.getTerminationMessagePath();
    if (target == null || target.isEmpty()) {
      return Optional.empty();
    }
    Path file = dirs.terminationLog(podUid, container.getName(), attempt);
    try {
      Files.createDirectories(file.getParent());
      Files.write(
          file,
          new byte[0],
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
    } catch (IOException e) {
      throw new ContainerSpecRejectedException(
          "container "
              + container.getName()
              + ": cannot create termination-log file "
              + file
              + ": "
              + e.getMessage(),
          e);
    }
    return Optional.of(new Mount(file.toString(), target, false, MountPropagation.NONE));
  }

  /**
   * The message of an exited container.
   *
   * @param logTail the container's last {@link #LOG_TAIL_LINES} log lines, asked only when needed
   */
  public String read(
      String podUid,
      String container,
      int attempt,
      TerminationMessagePolicy policy,
      int exitCode,
      Supplier<String> logTail) {
    String message = readFile(podUid, container, attempt);
    if (message.isEmpty()
        && exitCode != 0
        && policy == TerminationMessagePolicy.FALLBACK_TO_LOGS_ON_ERROR) {
      return lastBytes(logTail.get(), MAX_LOG_TAIL_BYTES);
    }
    return message;
  }

  private String readFile(String podUid, String container, int attempt) {
    Path file;
    try {
      file = dirs.terminationLog(podUid, container, attempt);
    } catch (IllegalArgumentException unsafeName) {
      return "";
    }
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readNBytes(MAX_MESSAGE_BYTES), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return ""; // missing or unreadable: the message is informational, the exit code is what
      // counts
    }
  }

  static String lastBytes(String text, int maxBytes) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= maxBytes) {
      return text;
    }
    int from = bytes.length - maxBytes;
    while (from < bytes.length && (bytes[from] & 0xC0) == 0x80) {
      from++; // don't start in the middle of a UTF-8 sequence
    }
    return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
  }
}
