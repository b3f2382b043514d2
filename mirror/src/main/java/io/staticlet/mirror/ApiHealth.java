package io.staticlet.mirror;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the API server answers, and the last failure anyone saw. Fed by every call ({@link
 * ApiCalls}) and by the informers' exception handlers; when the server answers again after an
 * outage, the recovery listeners are told (the mirror loop then looks at every pod at once instead
 * of waiting for per-pod back-off). Thread-safe: every loop of the cluster side writes it, any
 * thread reads it; it belongs to the {@link ClusterAgent} and outlives each set of loops (so its
 * recovery listeners are removed when their loops close).
 */
final class ApiHealth {
  private static final Logger log = LoggerFactory.getLogger(ApiHealth.class);

  private record Failure(String what, String message, Instant at) {}

  private final Clock clock;
  private final List<Runnable> recoveryListeners = new CopyOnWriteArrayList<>();
  private boolean reachable = true; // guarded by this
  private Failure lastFailure; // guarded by this
  private String unauthorized; // guarded by this; the last 401 until a call succeeds again

  private final ApiCallObserver observer;

  /** Without a call observer. */
  ApiHealth(Clock clock) {
    this(clock, ApiCallObserver.NONE);
  }

  /**
   * @param observer hears every API call (metrics), on the calling thread
   */
  ApiHealth(Clock clock, ApiCallObserver observer) {
    this.clock = clock;
    this.observer = observer;
  }

  ApiCallObserver observer() {
    return observer;
  }

  /**
   * {@code listener} runs when the server answers again, on the thread whose call noticed it (any
   * loop's): it must only enqueue or schedule.
   */
  void onRecovered(Runnable listener) {
    recoveryListeners.add(listener);
  }

  /** The server answered (successfully or with a refusal). */
  void answered() {
    boolean recovered;
    synchronized (this) {
      recovered = !reachable;
      reachable = true;
    }
    if (recovered) {
      recoveryListeners.forEach(Runnable::run);
    }
  }

  /** {@code listener} no longer runs (its loops were replaced by new ones). */
  void removeRecoveryListener(Runnable listener) {
    recoveryListeners.remove(listener);
  }

  /** How many recovery listeners are registered (one per live set of loops). */
  int recoveryListeners() {
    return recoveryListeners.size();
  }

  /** A call succeeded: our credentials are accepted. */
  synchronized void authorized() {
    if (unauthorized != null) {
      log.info("the API server accepts our credentials again");
    }
    unauthorized = null;
  }

  /** The server answered 401: it does not accept our credentials (expired, revoked, unknown CA). */
  synchronized void unauthorized(String message) {
    if (unauthorized == null) {
      log.error(
          "the API server does not accept our credentials (client certificate expired, revoked or of "
              + "another CA?); the node cannot report until usable credentials are on disk error=\"{}\"",
          message);
    }
    unauthorized = message;
    lastFailure = new Failure("authenticate", message, clock.instant());
  }

  /** The last 401 while no call succeeded since. */
  synchronized Optional<String> unauthorizedError() {
    return Optional.ofNullable(unauthorized);
  }

  /** The server could not be reached, or failed. */
  synchronized void unreachable(String what, String message) {
    reachable = false;
    lastFailure = new Failure(what, message, clock.instant());
  }

  /** Something was refused or failed for another reason; kept for {@link #lastError()}. */
  synchronized void failed(String what, String message) {
    lastFailure = new Failure(what, message, clock.instant());
  }

  synchronized boolean reachable() {
    return reachable;
  }

  /** The most recent failure, with when it happened. */
  synchronized Optional<String> lastError() {
    return Optional.ofNullable(lastFailure).map(f -> f.at() + " " + f.message());
  }
}
