package io.staticlet.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.testing.CallInFlight;
import io.staticlet.core.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class QueueWorkersTest {
  private final WorkQueue<String> queue = new WorkQueue<>(new ManualClock());
  private final List<String> handled = new CopyOnWriteArrayList<>();

  @Test
  void processNextHandlesOneDueKeyAndMarksItDone() {
    QueueWorkers<String> workers = new QueueWorkers<>(queue, handled::add);
    queue.add("a");

    assertTrue(workers.processNext());
    assertFalse(workers.processNext(), "nothing else is due");
    queue.add("a");
    assertTrue(workers.processNext(), "done: the key can come again");
    assertEquals(List.of("a", "a"), handled);
  }

  @Test
  void aKeyIsInFlightOnceAndAReAddWhileInFlightRunsAfterIt() throws InterruptedException {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch inFlight = new CountDownLatch(1);
    CountDownLatch bHandled = new CountDownLatch(1);
    CountDownLatch aTwice = new CountDownLatch(2);
    QueueWorkers<String> workers =
        new QueueWorkers<>(
            queue,
            key -> {
              handled.add(key);
              if (key.equals("b")) {
                bHandled.countDown();
                return;
              }
              aTwice.countDown();
              if (inFlight.getCount() == 1) {
                inFlight.countDown();
                awaitQuietly(release);
              }
            });
    workers.start(2, Thread::new);
    try {
      queue.add("a");
      assertTrue(inFlight.await(10, TimeUnit.SECONDS));
      queue.add("a");
      queue.add("b");
      assertTrue(bHandled.await(10, TimeUnit.SECONDS), "the other worker is free");
      assertEquals(
          1,
          handled.stream().filter("a"::equals).count(),
          "the second worker did not take a again");

      release.countDown();
      assertTrue(aTwice.await(10, TimeUnit.SECONDS), "the re-add runs once the first pass is done");
      assertTrue(workers.alive());
    } finally {
      workers.close();
    }
    assertFalse(workers.alive(), "closed: the threads are gone");
  }

  @Test
  void aHandlerThatThrowsAnExceptionOrAnErrorNeverEndsAWorkerAndItsKeyIsRetried()
      throws InterruptedException {
    ManualClock clock = new ManualClock();
    WorkQueue<String> q = new WorkQueue<>(clock);
    CountDownLatch okHandled = new CountDownLatch(1);
    List<String> seen = new CopyOnWriteArrayList<>();
    QueueWorkers<String> workers =
        new QueueWorkers<>(
            q,
            key -> {
              seen.add(key);
              switch (key) {
                case "runtime" -> throw new IllegalStateException("boom");
                case "error" -> throw new StackOverflowError();
                default -> okHandled.countDown();
              }
            },
            clock);
    workers.start(1, Thread::new);
    try {
      q.add("runtime");
      q.add("error");
      q.add("ok");
      assertTrue(
          okHandled.await(10, TimeUnit.SECONDS),
          "the one worker survived both and took the next key");
      assertTrue(workers.alive());
      assertEquals(2, workers.failures());
      assertEquals(List.of("runtime", "error", "ok"), seen);
    } finally {
      workers.close();
    }
  }

  @Test
  void aHandlerThatLeavesTheThreadInterruptedDoesNotEndTheWorker() throws InterruptedException {
    // what ApiCalls does when fabric8 fails with an InterruptedException in its cause chain that
    // was not meant for this worker: it re-asserts the interrupt and throws
    CountDownLatch okHandled = new CountDownLatch(1);
    List<String> seen = new CopyOnWriteArrayList<>();
    QueueWorkers<String> workers =
        new QueueWorkers<>(
            queue,
            key -> {
              seen.add(key);
              if (key.equals("interrupted")) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("call interrupted");
              }
              if (key.equals("flag-only")) {
                Thread.currentThread().interrupt();
                return;
              }
              okHandled.countDown();
            });
    workers.start(1, Thread::new);
    try {
      queue.add("interrupted");
      queue.add("flag-only");
      queue.add("ok");
      assertTrue(okHandled.await(10, TimeUnit.SECONDS), "the one worker carried on: " + seen);
      assertTrue(workers.alive());
      assertEquals(List.of("interrupted", "flag-only", "ok"), seen);
    } finally {
      workers.close();
    }
    assertFalse(workers.alive(), "close() still ends the workers");
  }

  @Test
  void aKeyWhoseHandlerThrewComesBackAfterTheRetryDelay() {
    ManualClock clock = new ManualClock();
    WorkQueue<String> q = new WorkQueue<>(clock);
    QueueWorkers<String> workers =
        new QueueWorkers<>(
            q,
            key -> {
              handled.add(key);
              throw new AssertionError("an Error from a handler");
            },
            clock);
    q.add("a");
    assertTrue(workers.processNext(), "the Error does not escape the step");
    assertFalse(workers.processNext(), "not due yet");
    clock.advance(QueueWorkers.RETRY_AFTER_FAILURE);
    assertTrue(workers.processNext(), "retried");
    assertEquals(List.of("a", "a"), handled);
  }

  @Test
  void closeWithAGraceLetsTheRunningHandlerFinishAndHandsOutNoFurtherKey() throws Exception {
    CallInFlight call = new CallInFlight();
    QueueWorkers<String> workers =
        new QueueWorkers<>(
            queue,
            key -> {
              handled.add(key);
              call.run();
            });
    workers.start(1, Thread::new);
    queue.add("a");
    call.awaitStarted();
    queue.add("b");

    call.releaseWhileClosing(() -> workers.close(Duration.ofSeconds(10)));

    assertEquals(List.of("finished"), call.outcome(), "the call in flight got its answer");
    assertEquals(List.of("a"), handled, "b was never handed out");
    assertFalse(workers.alive());
  }

  @Test
  void closeWithoutAGraceCutsTheRunningHandlerShort() throws Exception {
    CallInFlight call = new CallInFlight();
    QueueWorkers<String> workers = new QueueWorkers<>(queue, key -> call.run());
    workers.start(1, Thread::new);
    queue.add("a");
    call.awaitStarted();

    workers.close();

    assertEquals(List.of("interrupted"), call.outcome());
    assertFalse(workers.alive());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
