package io.staticlet.mirror;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Runs one API call: takes a rate-limit token, runs it, records the outcome in {@link ApiHealth},
 * and translates a {@link KubernetesClientException} into an {@link ApiCallException} with its
 * {@link ApiErrorKind}. Does not log: callers decide what a failure means. Thread-safe.
 */
final class ApiCalls {
  private final ApiRateLimiter limiter;
  private final ApiHealth health;

  ApiCalls(ApiRateLimiter limiter, ApiHealth health) {
    this.limiter = limiter;
    this.health = health;
  }

  /**
   * Runs {@code call}; {@code what} names it in messages ("create mirror kube-system/etcd-node1").
   */
  <T> T call(String what, Supplier<T> call) {
    try {
      limiter.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiCallException(ApiErrorKind.UNAVAILABLE, 0, what + ": interrupted", e);
    }
    long start = System.nanoTime();
    try {
      T result = call.get();
      health.answered();
      health.authorized();
      observe(what, "2xx", "ok", start);
      return result;
    } catch (KubernetesClientException e) {
      observe(
          what,
          String.valueOf(Math.max(e.getCode(), 0)),
          ApiErrorKind.of(e).name().toLowerCase(Locale.ROOT),
          start);
      if (interrupted(e)) {
        // shutting down: not an API problem
        Thread.currentThread().interrupt();
        throw new ApiCallException(ApiErrorKind.UNAVAILABLE, 0, what + ": interrupted", e);
      }
      ApiErrorKind kind = ApiErrorKind.of(e);
      String message = what + ": " + describe(e);
      if (kind == ApiErrorKind.UNAVAILABLE) {
        health.unreachable(what, message);
      } else {
        health.answered();
        if (refusesCredentials(e, message)) {
          health.unauthorized(message);
        } else if (kind == ApiErrorKind.REJECTED) {
          health.failed(what, message);
        }
      }
      throw new ApiCallException(kind, e.getCode(), message, e);
    }
  }

  /**
   * 401, or 403 for {@code system:anonymous}: the API server did not accept our client certificate
   * (expired, revoked, of another CA) and, with anonymous authentication on (the default), treats
   * us as anonymous instead of refusing outright.
   */
  private static boolean refusesCredentials(KubernetesClientException e, String message) {
    return e.getCode() == 401 || (e.getCode() == 403 && message.contains("\"system:anonymous\""));
  }

  private void observe(String what, String code, String outcome, long startNanos) {
    try {
      health
          .observer()
          .observe(
              ApiCallNames.verb(what),
              ApiCallNames.resource(what),
              code,
              outcome,
              Duration.ofNanos(System.nanoTime() - startNanos));
    } catch (RuntimeException ignored) {
      // metrics must never break an API call
    }
  }

  void run(String what, Runnable call) {
    call(
        what,
        () -> {
          call.run();
          return null;
        });
  }

  private static boolean interrupted(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof InterruptedException) {
        return true;
      }
    }
    return Thread.currentThread().isInterrupted();
  }

  /** The server's own words when it sent a Status, else the client's message and root cause. */
  static String describe(KubernetesClientException e) {
    Status status = e.getStatus();
    if (status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
      return status.getMessage();
    }
    String message = String.valueOf(e.getMessage());
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != e) {
      String cause =
          root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
      if (!message.contains(cause)) {
        message = message + ": " + cause;
      }
    }
    return message;
  }
}
