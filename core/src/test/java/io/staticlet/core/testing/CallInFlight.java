package io.staticlet.core.testing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A blocking call a test holds in flight (an API call waiting for its answer): {@link #run} starts
 * it and waits until the test releases it, and records whether it finished or was interrupted. For
 * the tests of closing with and without a grace.
 */
public final class CallInFlight {
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<String> outcome = new CopyOnWriteArrayList<>();

  /** The call: blocks until released (at most 10 s) or interrupted. */
  public void run() {
    started.countDown();
    try {
      release.await(10, TimeUnit.SECONDS);
      outcome.add("finished");
    } catch (InterruptedException e) {
      outcome.add("interrupted");
    }
  }

  public void awaitStarted() throws InterruptedException {
    assertTrue(started.await(10, TimeUnit.SECONDS), "the call started");
  }

  /** "finished" or "interrupted", once the call ended. */
  public List<String> outcome() {
    return List.copyOf(outcome);
  }

  /**
   * Runs {@code close} on another thread, checks that it waits for this call, then lets the call
   * end and checks that {@code close} returns.
   */
  public void releaseWhileClosing(Runnable close) throws InterruptedException {
    Thread closer = new Thread(close, "closer");
    closer.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> closer.getState() == Thread.State.TIMED_WAITING);
    assertTrue(outcome.isEmpty(), "close waits for the call in flight: " + outcome);
    release.countDown();
    closer.join(10_000);
    assertFalse(closer.isAlive(), "close returned once the call ended");
  }
}
