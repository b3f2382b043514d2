package io.staticlet.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.staticlet.core.testing.CallInFlight;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Closing the scheduler: with a grace the task in flight ends on its own, without it is cut. */
class ThreadPoolSchedulerTest {
  private final CallInFlight call = new CallInFlight();
  private final ThreadPoolScheduler scheduler = new ThreadPoolScheduler(1, Thread::new);

  @Test
  void closeWithAGraceLetsTheRunningTaskFinishAndDropsThePendingAndPeriodicOnes() throws Exception {
    List<String> others = new CopyOnWriteArrayList<>();
    scheduler.schedule(Duration.ZERO, call::run);
    call.awaitStarted();
    scheduler.schedule(Duration.ZERO, () -> others.add("pending ran"));
    scheduler.scheduleAtFixedRate(Duration.ofMillis(1), () -> others.add("periodic ran"));

    call.releaseWhileClosing(() -> scheduler.close(Duration.ofSeconds(10)));

    assertEquals(List.of("finished"), call.outcome(), "the task in flight got its answer");
    scheduler.schedule(Duration.ZERO, () -> others.add("scheduled after close ran"));
    assertEquals(List.of(), others, "nothing queued, periodic or scheduled after close runs");
  }

  @Test
  void closeWithoutAGraceInterruptsTheRunningTask() throws Exception {
    scheduler.schedule(Duration.ZERO, call::run);
    call.awaitStarted();

    scheduler.close();

    assertEquals(List.of("interrupted"), call.outcome());
  }

  @Test
  void aTaskThatOutlivesTheGraceIsInterrupted() throws Exception {
    scheduler.schedule(Duration.ZERO, call::run);
    call.awaitStarted();

    scheduler.close(Duration.ofMillis(50));

    assertEquals(List.of("interrupted"), call.outcome());
  }
}
