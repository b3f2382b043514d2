package io.staticlet.mirror;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Whether the API server answers, and the last failure anyone saw. Fed by every call ({@link
 * ApiCalls}) and by the informers' exception handlers; when the server answers again after an
 * outage, the recovery listeners are told (the mirror loop then looks at every pod at once instead
 * of waiting for per-pod back-off). Thread-safe.
 */
final class ApiHealth {
  private record Failure(String what, String message, Instant at) {}

  private final Clock clock;
  private final List<Runnable> recoveryListeners = new CopyOnWriteArrayList<>();
  private boolean reachable = true; // guarded by this
  private Failure lastFailure; // guarded by this

  private volatile ApiCallObserver observer = ApiCallObserver.NONE;

  void observeCalls(ApiCallObserver observer) {
    this.observer = observer;
  }

  ApiCallObserver observer() {
    return observer;
  }

  ApiHealth(Clock clock) {
    this.clock = clock;
  }

  /** {@code listener} runs (on the caller's thread; it must only enqueue) when the server answers again. */
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
