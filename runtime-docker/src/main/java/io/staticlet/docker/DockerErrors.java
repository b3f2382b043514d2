package io.staticlet.docker;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.staticlet.core.runtime.ContainerNotFoundException;
import io.staticlet.core.runtime.ContainerSpecRejectedException;
import io.staticlet.core.runtime.ImagePullException;
import io.staticlet.core.runtime.RuntimeUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The one place where docker-java failures become core's runtime exceptions (core/DESIGN.md: errors
 * are translated once, in the adapter). What an HTTP status means depends on the operation, so
 * callers name it. Operation-specific successes (304 on stop, 404 on remove) are handled by the
 * callers before they get here.
 */
final class DockerErrors {
  /** What was being done when Docker failed. */
  enum Operation {
    /** Creating a sandbox or container: 4xx/5xx mean Docker refused the spec. */
    CREATE,
    /** Starting a container: 5xx means the process could not be started. */
    START,
    /** Inspecting or pulling an image. */
    IMAGE,
    /** Anything else on an existing container (stop, remove, inspect, exec, logs). */
    CONTAINER,
    /** Engine-wide calls (version, list, events). */
    ENGINE
  }

  private DockerErrors() {}

  /** Runs a docker-java call and translates its failure. */
  static <T> T call(Operation op, String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw translate(op, what, e);
    }
  }

  static void run(Operation op, String what, Runnable call) {
    call(
        op,
        what,
        () -> {
          call.run();
          return null;
        });
  }

  /**
   * Translates a failure of a docker-java call; returns {@code e} unchanged when it is neither a
   * Docker nor an I/O failure (a programming error).
   *
   * @param what what was being done, for the message ("create container nginx for kube-system/web")
   */
  static RuntimeException translate(Operation op, String what, RuntimeException e) {
    if (e instanceof ContainerNotFoundException
        || e instanceof ContainerSpecRejectedException
        || e instanceof ImagePullException
        || e instanceof RuntimeUnavailableException) {
      return e; // already translated
    }
    String message = what + ": " + engineMessage(e);
    if (e instanceof NotFoundException) {
      if (op == Operation.IMAGE || (op == Operation.CREATE && isNoSuchImage(e))) {
        return new ImagePullException(message, e);
      }
      return new ContainerNotFoundException(message, e);
    }
    if (e instanceof ConflictException) {
      return op == Operation.CREATE
          ? new ContainerSpecRejectedException(message, e)
          : new RuntimeUnavailableException(message, e);
    }
    if (e instanceof BadRequestException) {
      return op == Operation.IMAGE
          ? new ImagePullException(message, e)
          : new ContainerSpecRejectedException(message, e);
    }
    if (e instanceof InternalServerErrorException) {
      switch (op) {
        case CREATE:
        case START:
          return new ContainerSpecRejectedException(message, e);
        case IMAGE:
          return new ImagePullException(message, e);
        default:
          return new RuntimeUnavailableException(message, e);
      }
    }
    if (e instanceof DockerException) {
      return op == Operation.IMAGE
          ? new ImagePullException(message, e)
          : new RuntimeUnavailableException(message, e);
    }
    if (hasIoCause(e)) {
      return new RuntimeUnavailableException(message, e);
    }
    if (e instanceof DockerClientException) {
      return op == Operation.IMAGE
          ? new ImagePullException(message, e)
          : new RuntimeUnavailableException(message, e);
    }
    return e;
  }

  static boolean isNoSuchImage(Throwable e) {
    String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    return m.contains("no such image");
  }

  /**
   * Docker answers errors as {@code {"message":"..."}}; docker-java puts that body in the exception
   * message, sometimes prefixed with {@code Status 404: }.
   */
  static String engineMessage(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      Throwable cause = e.getCause();
      return cause != null && cause != e ? engineMessage(cause) : e.getClass().getSimpleName();
    }
    String trimmed = m.trim();
    int key = trimmed.indexOf("\"message\":\"");
    if (key >= 0) {
      int start = key + "\"message\":\"".length();
      int end = trimmed.lastIndexOf("\"}");
      if (end > start) {
        return trimmed.substring(start, end).replace("\\\"", "\"").replace("\\n", " ");
      }
    }
    return trimmed;
  }

  private static boolean hasIoCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof UncheckedIOException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
