package io.staticlet.core.time;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Closing the scheduler: with a grace the task in flight ends on its own, without it is cut. */
class ThreadPoolSchedulerTest {
  private final List<String> outcome = new CopyOnWriteArrayList<>();
  private final CountDownLatch inFlight = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  private void blockingTask() {
    inFlight.countDown();
    try {
      release.await(10, TimeUnit.SECONDS);
      outcome.add("finished");
    } catch (InterruptedException e) {
      outcome.add("interrupted");
    }
  }

  @Test
  void closeWithAGraceLetsTheRunningTaskFinishAndDropsThePendingAndPeriodicOnes() throws Exception {
    ThreadPoolScheduler scheduler = new ThreadPoolScheduler(1, Thread::new);
    scheduler.schedule(Duration.ZERO, this::blockingTask);
    assertTrue(inFlight.await(10, TimeUnit.SECONDS));
    scheduler.schedule(Duration.ZERO, () -> outcome.add("pending ran"));
    scheduler.scheduleAtFixedRate(Duration.ofMillis(1), () -> outcome.add("periodic ran"));

    Thread closer = new Thread(() -> scheduler.close(Duration.ofSeconds(10)));
    closer.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> closer.getState() == Thread.State.TIMED_WAITING);
    assertTrue(outcome.isEmpty(), "close waits for the task: " + outcome);
    release.countDown();
    closer.join(10_000);

    assertFalse(closer.isAlive());
    assertEquals(List.of("finished"), outcome, "only the task in flight, and it got its answer");
    scheduler.schedule(Duration.ZERO, () -> outcome.add("after close"));
    assertEquals(List.of("finished"), outcome, "scheduling after close is a no-op");
  }

  @Test
  void closeWithoutAGraceInterruptsTheRunningTask() throws Exception {
    ThreadPoolScheduler scheduler = new ThreadPoolScheduler(1, Thread::new);
    scheduler.schedule(Duration.ZERO, this::blockingTask);
    assertTrue(inFlight.await(10, TimeUnit.SECONDS));

    scheduler.close();

    assertEquals(List.of("interrupted"), outcome);
  }

  @Test
  void aTaskThatOutlivesTheGraceIsInterrupted() throws Exception {
    ThreadPoolScheduler scheduler = new ThreadPoolScheduler(1, Thread::new);
    scheduler.schedule(Duration.ZERO, this::blockingTask);
    assertTrue(inFlight.await(10, TimeUnit.SECONDS));

    scheduler.close(Duration.ofMillis(50));

    assertEquals(List.of("interrupted"), outcome);
  }
}
