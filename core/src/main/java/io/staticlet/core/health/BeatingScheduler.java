package io.staticlet.core.health;

import io.staticlet.core.health.LoopHealth.Heartbeat;
import io.staticlet.core.time.Scheduler;
import java.time.Duration;

/**
 * A {@link Scheduler} for one periodic loop (the manifest re-list) that beats the loop's heartbeat
 * each time one of its periodic tasks completes, so {@code /healthz} sees a loop whose round hangs
 * (a stat on a dead NFS mount) or never runs, whether or not the round found anything new.
 */
public final class BeatingScheduler implements Scheduler {
  private final Scheduler delegate;
  private final Heartbeat heartbeat;

  public BeatingScheduler(Scheduler delegate, Heartbeat heartbeat) {
    this.delegate = delegate;
    this.heartbeat = heartbeat;
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    return delegate.schedule(delay, task);
  }

  @Override
  public Cancellable scheduleAtFixedRate(Duration period, Runnable task) {
    return delegate.scheduleAtFixedRate(
        period,
        () -> {
          task.run();
          heartbeat.beat();
        });
  }
}
