package io.staticlet.core.events;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded hand-over between the threads that record events and the one thread that publishes
 * them. When the publisher falls behind (the API server is away) the oldest events are dropped, as
 * the kubelet's broadcaster does, so memory stays bounded and recording never blocks.
 */
public final class EventBuffer implements EventRecorder {
  /** The kubelet's broadcaster queue length. */
  public static final int DEFAULT_CAPACITY = 1000;

  private final LinkedBlockingDeque<PodEvent> queue;
  private final AtomicLong dropped = new AtomicLong();

  public EventBuffer(int capacity) {
    this.queue = new LinkedBlockingDeque<>(capacity);
  }

  public EventBuffer() {
    this(DEFAULT_CAPACITY);
  }

  @Override
  public void record(PodEvent event) {
    while (!queue.offerLast(event)) {
      if (queue.pollFirst() != null) {
        dropped.incrementAndGet();
      }
    }
  }

  /** The next event, waiting at most {@code timeout}; {@code null} when none came. */
  public PodEvent poll(Duration timeout) throws InterruptedException {
    return queue.pollFirst(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Events waiting to be published. */
  public int size() {
    return queue.size();
  }

  /** Events dropped because the buffer was full. */
  public long dropped() {
    return dropped.get();
  }
}
