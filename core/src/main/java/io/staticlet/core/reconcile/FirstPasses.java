package io.staticlet.core.reconcile;

import io.staticlet.core.pod.PodKey;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Whether the pods known at start-up have each had their first pass, so the agent can start work
 * that no pod waits for (the kubelet API's Netty and TLS) after them instead of beside them: on a
 * node's 2 cores that work would delay a restart's adopted pods (docs/performance.md, start-up).
 *
 * <p>Thread-safe: {@link #expect} is called once by the starting thread before the workers run;
 * {@link #passed} by the workers; {@link #await} by whoever waits.
 */
public final class FirstPasses implements PodWorkers.SyncObserver {
  private final Set<PodKey> waiting = ConcurrentHashMap.newKeySet();
  private final CountDownLatch done = new CountDownLatch(1);

  /** The pods whose first pass is awaited; none: already done. */
  public void expect(Collection<PodKey> pods) {
    waiting.addAll(pods);
    if (waiting.isEmpty()) {
      done.countDown();
    }
  }

  @Override
  public void passed(PodKey key, SyncOutcome outcome, Duration took) {
    if (waiting.remove(key) && waiting.isEmpty()) {
      done.countDown();
    }
  }

  /**
   * Returns true once every expected pod had a pass, false after {@code max} (a pod removed before
   * its first pass never has one, nor does one stuck on the engine).
   */
  public boolean await(Duration max) throws InterruptedException {
    return done.await(max.toNanos(), TimeUnit.NANOSECONDS);
  }
}
