package io.staticlet.core.queue;

import io.staticlet.core.time.Ticker;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker threads over one {@link WorkQueue}: each takes a due key, hands it to the handler and
 * marks it done, so one key is in flight at most once. {@link #processNext()} is the same step
 * without threads, for tests that drive a loop by hand. {@link #close()} shuts the queue down and
 * joins the threads; {@link #close(Duration)} first lets the handlers that run finish on their own.
 *
 * <p>Concurrency contract: the handler runs on these workers only (or on the caller of {@link
 * #processNext()}), one key at a time per worker and never two workers on the same key; it may
 * block (engine and API calls, each with its own deadline). It should not throw, but nothing a
 * handler does ends a worker, only {@link #close()} does: a {@link RuntimeException} or an {@link
 * Error} is logged, counted and the key retried after {@link #RETRY_AFTER_FAILURE}; an interrupt
 * the handler leaves set on the thread (a client library that re-asserts one it caught) is logged
 * and cleared. {@link #close()} interrupts the workers to cut a blocking call short, so a handler
 * should give up when interrupted. {@link #busiest()} says which worker has been on one key the
 * longest, for {@code /healthz}; it, {@link #alive()} and {@link #failures()} may be called from
 * any thread.
 */
public final class QueueWorkers<K> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QueueWorkers.class);
  private static final Duration JOIN = Duration.ofSeconds(5);

  /** A key whose handler threw is looked at again after this long. */
  public static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);

  /** The key a worker has been handling since a tick of the ticker. */
  public record Busy<K>(String worker, K key, Duration busyFor) {}

  private record InHand<K>(K key, long sinceNanos) {}

  private final WorkQueue<K> queue;
  private final Consumer<K> handler;
  private final Ticker ticker;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final Map<Thread, InHand<K>> inHand = new ConcurrentHashMap<>();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean closed;

  /**
   * @param handler handles one key; should not throw (see the class comment)
   */
  public QueueWorkers(WorkQueue<K> queue, Consumer<K> handler) {
    this(queue, handler, Ticker.SYSTEM);
  }

  public QueueWorkers(WorkQueue<K> queue, Consumer<K> handler, Ticker ticker) {
    this.queue = queue;
    this.handler = handler;
    this.ticker = ticker;
  }

  /** Starts {@code count} threads that run until {@link #close()}. */
  public void start(int count, ThreadFactory threadFactory) {
    for (int i = 0; i < count; i++) {
      Thread t = threadFactory.newThread(this::loop);
      threads.add(t);
      t.start();
    }
  }

  /** Handles one due key if there is one; returns false when nothing was due. */
  public boolean processNext() {
    Optional<K> key = queue.poll();
    key.ifPresent(this::handle);
    return key.isPresent();
  }

  /** True while every started thread is alive (or none were started). */
  public boolean alive() {
    return threads.stream().allMatch(Thread::isAlive);
  }

  private void loop() {
    while (!closed) {
      try {
        Optional<K> key = queue.take();
        if (key.isEmpty()) {
          return;
        }
        handle(key.get());
      } catch (InterruptedException e) {
        if (closed) {
          return;
        }
        log.warn("worker interrupted while waiting for a key, not closed: carrying on");
      }
      if (Thread.interrupted() && !closed) {
        log.warn(
            "handler left the worker's thread interrupted, not closed: interrupt cleared, carrying on");
      }
    }
  }

  private void handle(K key) {
    Thread self = Thread.currentThread();
    inHand.put(self, new InHand<>(key, ticker.nanos()));
    boolean failed = false;
    try {
      handler.accept(key);
    } catch (RuntimeException | Error e) {
      failed = true;
      failures.incrementAndGet();
      log.error(
          "handler failed key={}, retrying in {}s; the worker carries on",
          key,
          RETRY_AFTER_FAILURE.toSeconds(),
          e);
    } finally {
      inHand.remove(self);
      queue.done(key);
    }
    if (failed) {
      queue.addAfter(key, RETRY_AFTER_FAILURE);
    }
  }

  /** The worker that has been on one key the longest, if any is busy. */
  public Optional<Busy<K>> busiest() {
    long now = ticker.nanos();
    return inHand.entrySet().stream()
        .min(Comparator.comparingLong(e -> e.getValue().sinceNanos()))
        .map(
            e ->
                new Busy<>(
                    e.getKey().getName(),
                    e.getValue().key(),
                    Duration.ofNanos(now - e.getValue().sinceNanos())));
  }

  /** How many times the handler threw. */
  public long failures() {
    return failures.get();
  }

  @Override
  public void close() {
    close(Duration.ZERO);
  }

  /**
   * Shuts the queue down (no key is handed out any more), lets the handlers that are running finish
   * for up to {@code grace} (an API call in flight gets its answer: its write has landed when this
   * returns), then interrupts the workers still busy and joins them for up to 5 s each.
   */
  public void close(Duration grace) {
    closed = true;
    queue.shutDown();
    try {
      long deadline = System.nanoTime() + grace.toNanos();
      for (Thread t : threads) {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          t.join(Math.max(1, left / 1_000_000));
        }
      }
      threads.forEach(Thread::interrupt);
      for (Thread t : threads) {
        t.join(JOIN.toMillis());
      }
    } catch (InterruptedException e) {
      threads.forEach(Thread::interrupt);
      Thread.currentThread().interrupt();
    }
  }
}
