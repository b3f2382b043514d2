package io.staticlet.core.reconcile;

import io.staticlet.core.backoff.RestartBackoff;
import io.staticlet.core.pod.ContainerKey;
import io.staticlet.core.status.ContainerWaiting;
import io.staticlet.core.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Containers that could not be created: image pulls that failed ({@code ErrImagePull} then {@code
 * ImagePullBackOff}) and specs the engine refused ({@code CreateContainerError}). Each key backs
 * off like the kubelet's image back-off (10 s doubling to 300 s). Thread-safe: reconcile workers of
 * different pods use it at once; never blocks (one short lock).
 */
public final class StartFailures {
  private record Failure(String reason, String message, long atTick) {}

  private final Ticker ticker;
  private final RestartBackoff<ContainerKey> backoff;
  private final Map<ContainerKey, Failure> failures = new HashMap<>(); // guarded by this

  public StartFailures(Clock clock, RestartBackoff<ContainerKey> backoff) {
    this.ticker = Ticker.of(clock); // monotonic (DECISIONS.md 24)
    this.backoff = backoff;
  }

  /** How long to wait before trying {@code key} again; zero when it may be tried now. */
  public synchronized Duration remaining(ContainerKey key) {
    Failure f = failures.get(key);
    return f == null ? Duration.ZERO : backoff.remainingSinceTick(key, f.atTick());
  }

  /** The waiting state to show while {@code key} is backing off, if it is. */
  public synchronized Optional<ContainerWaiting> waiting(ContainerKey key) {
    Failure f = failures.get(key);
    if (f == null) {
      return Optional.empty();
    }
    boolean inBackoff = backoff.remainingSinceTick(key, f.atTick()).compareTo(Duration.ZERO) > 0;
    String reason =
        inBackoff && "ErrImagePull".equals(f.reason()) ? "ImagePullBackOff" : f.reason();
    String message =
        inBackoff && "ErrImagePull".equals(f.reason())
            ? "Back-off pulling image: " + f.message()
            : f.message();
    return Optional.of(new ContainerWaiting(reason, message));
  }

  /** Called just before an attempt: advances the back-off so the next failure waits longer. */
  public synchronized void attempting(ContainerKey key) {
    if (failures.containsKey(key)) {
      backoff.recordRetry(key);
    }
  }

  public synchronized void failed(ContainerKey key, String reason, String message) {
    if (!failures.containsKey(key)) {
      backoff.recordRetry(key);
    }
    failures.put(key, new Failure(reason, message, ticker.nanos()));
  }

  public synchronized void succeeded(ContainerKey key) {
    if (failures.remove(key) != null) {
      backoff.forget(key);
    }
  }

  /** Forgets the failures and back-off of every container of a pod incarnation that is gone. */
  public synchronized void forgetPod(String podUid) {
    failures.keySet().removeIf(k -> k.podUid().equals(podUid));
    backoff.forgetIf(k -> k.podUid().equals(podUid));
  }

  /** How many containers are remembered (tests). */
  public synchronized int size() {
    return failures.size() + backoff.size();
  }
}
