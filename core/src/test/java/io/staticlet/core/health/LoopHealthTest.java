package io.staticlet.core.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.health.LoopHealth.Heartbeat;
import io.staticlet.core.queue.QueueWorkers;
import io.staticlet.core.queue.WorkQueue;
import io.staticlet.core.testing.ManualClock;
import io.staticlet.core.testing.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopHealthTest {
  private final ManualClock clock = new ManualClock();
  private final LoopHealth health = new LoopHealth(clock);

  @Test
  void aLoopThatStopsBeatingIsNamedAndAWallClockStepDoesNotTripIt() {
    Heartbeat relist = health.heartbeat("manifest re-list", Duration.ofSeconds(60));
    clock.advance(Duration.ofSeconds(50));
    relist.beat();
    clock.set(
        clock.instant().plus(Duration.ofHours(2))); // the wall clock steps: no loop is late for it
    assertEquals(List.of(), health.problems());
    clock.advance(Duration.ofSeconds(61));
    assertEquals(List.of("manifest re-list: no progress for 61s"), health.problems());
    relist.beat();
    assertEquals(List.of(), health.problems());
  }

  @Test
  void aWorkerStuckOnOneKeyIsNamedWithTheKey() throws Exception {
    WorkQueue<String> queue = new WorkQueue<>(clock);
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    QueueWorkers<String> workers =
        new QueueWorkers<>(
            queue,
            key -> {
              entered.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            clock);
    health.workers("reconcile", workers, Duration.ofSeconds(120));
    workers.start(1, r -> new Thread(r, "reconcile-0"));
    try {
      queue.add("default/web");
      assertTrue(entered.await(10, TimeUnit.SECONDS));
      assertEquals(List.of(), health.problems());
      clock.advance(Duration.ofSeconds(121));
      assertEquals(List.of("reconcile: reconcile-0 on default/web for 121s"), health.problems());
    } finally {
      release.countDown();
      workers.close();
    }
  }

  @Test
  void aThrowingCheckIsReportedNotThrown() {
    health.add(
        "engine",
        () -> {
          throw new IllegalStateException("boom");
        });
    assertEquals(List.of("engine: check failed: boom"), health.problems());
  }

  @Test
  void aPeriodicLoopBeatsAfterEveryCompletedRoundEvenWhenItFindsNothingNew() {
    ManualScheduler scheduler = new ManualScheduler(clock);
    Heartbeat relist = health.heartbeat("manifest re-list", Duration.ofSeconds(90));
    boolean[] hang = {false};
    new BeatingScheduler(scheduler, relist)
        .scheduleAtFixedRate(
            Duration.ofSeconds(20),
            () -> {
              if (hang[0]) {
                throw new IllegalStateException(
                    "stat: stale NFS file handle"); // a round that never completes
              }
            });
    scheduler.advance(Duration.ofMinutes(10));
    assertEquals(List.of(), health.problems(), "rounds that found nothing new still count");
    hang[0] = true;
    try {
      scheduler.advance(Duration.ofSeconds(95));
    } catch (IllegalStateException expected) {
      // the manual scheduler lets the task's exception through
    }
    clock.advance(Duration.ofSeconds(95));
    assertEquals(1, health.problems().size(), health.problems().toString());
    assertTrue(health.problems().get(0).startsWith("manifest re-list: no progress for"));
  }
}
