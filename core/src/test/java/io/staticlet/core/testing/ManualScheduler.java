package io.staticlet.core.testing;

import io.staticlet.core.time.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A scheduler driven by a {@link ManualClock}: {@link #advance} moves time and runs what became
 * due.
 */
public final class ManualScheduler implements Scheduler {
  private final ManualClock clock;
  private final List<Task> tasks = new ArrayList<>();

  private final class Task implements Cancellable {
    Instant due;
    final Duration period;
    final Runnable body;
    boolean cancelled;

    Task(Instant due, Duration period, Runnable body) {
      this.due = due;
      this.period = period;
      this.body = body;
    }

    @Override
    public void cancel() {
      synchronized (ManualScheduler.this) {
        cancelled = true;
        tasks.remove(this);
      }
    }
  }

  public ManualScheduler(ManualClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Task t = new Task(clock.instant().plus(delay), null, task);
    tasks.add(t);
    return t;
  }

  @Override
  public synchronized Cancellable scheduleAtFixedRate(Duration period, Runnable task) {
    Task t = new Task(clock.instant().plus(period), period, task);
    tasks.add(t);
    return t;
  }

  /** Moves the clock forward, running every task that falls due on the way, in order. */
  public void advance(Duration duration) {
    Instant end = clock.instant().plus(duration);
    while (true) {
      Task next;
      synchronized (this) {
        next =
            tasks.stream()
                .filter(t -> !t.due.isAfter(end))
                .min(Comparator.comparing(t -> t.due))
                .orElse(null);
        if (next == null) {
          break;
        }
        if (next.due.isAfter(clock.instant())) {
          clock.advance(
              Duration.between(clock.instant(), next.due)); // moves the monotonic ticker too
        }
        if (next.period == null) {
          tasks.remove(next);
        } else {
          next.due = next.due.plus(next.period);
        }
      }
      next.body.run();
    }
    if (end.isAfter(clock.instant())) {
      clock.advance(Duration.between(clock.instant(), end));
    }
  }

  /** Runs tasks that are due now without moving the clock. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  public synchronized int pending() {
    return tasks.size();
  }
}
