package io.staticlet.core.probe;

import io.staticlet.core.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one probe of one container instance. It owns no thread: a first tick is scheduled on the
 * shared {@link Scheduler} for {@code startedAt + initialDelay}, then one every {@code period};
 * each tick hands the (blocking) probe to the probe executor, with never more than one run in
 * flight, and the result goes through the thresholds of its {@link ProbeState}. Thread-safe.
 */
final class ProbeWorker {
  private static final Logger log = LoggerFactory.getLogger(ProbeWorker.class);

  /** What a worker needs from the container it probes. Called without the worker's lock held. */
  interface Owner {
    /** Liveness and readiness wait until the startup probe (if any) has succeeded. */
    boolean mayProbe(ProbeType type);

    String podIp();

    void verdictChanged(ProbeWorker worker);

    /** Every failed run, for the kubelet's {@code Unhealthy} event. */
    default void probeFailed(ProbeType type, String message) {}
  }

  private final ContainerInstance target;
  private final ProbeSpec spec;
  private final Owner owner;
  private final Prober prober;
  private final Scheduler scheduler;
  private final Executor executor;
  private final Clock clock;
  private final ProbeState state; // guarded by this
  private boolean inFlight; // guarded by this
  private boolean ticking; // guarded by this: the initial delay is over
  private boolean closed; // guarded by this
  private Scheduler.Cancellable first; // guarded by this
  private Scheduler.Cancellable periodic; // guarded by this

  ProbeWorker(
      ContainerInstance target,
      ProbeSpec spec,
      Owner owner,
      Prober prober,
      Scheduler scheduler,
      Executor executor,
      Clock clock) {
    this.target = target;
    this.spec = spec;
    this.owner = owner;
    this.prober = prober;
    this.scheduler = scheduler;
    this.executor = executor;
    this.clock = clock;
    this.state = new ProbeState(spec);
  }

  /**
   * Schedules the first run for {@code containerStartedAt + initialDelay} (at once if that has
   * passed).
   */
  synchronized void start(Instant containerStartedAt) {
    Duration wait = Duration.between(clock.instant(), containerStartedAt.plus(spec.initialDelay()));
    first = scheduler.schedule(wait.isNegative() ? Duration.ZERO : wait, this::beginTicking);
  }

  private void beginTicking() {
    synchronized (this) {
      if (closed) {
        return;
      }
      ticking = true;
      periodic = scheduler.scheduleAtFixedRate(spec.period(), this::tick);
    }
    tick();
  }

  /** Runs the probe now if it is due to run at all (used when the startup probe just succeeded). */
  void probeNow() {
    tick();
  }

  private void tick() {
    if (!owner.mayProbe(spec.type())) {
      return;
    }
    synchronized (this) {
      if (closed || !ticking || inFlight || state.done()) {
        return;
      }
      inFlight = true;
    }
    try {
      executor.execute(this::runOnce);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        inFlight = false; // shutting down
      }
    }
  }

  private void runOnce() {
    Optional<ProbeResult> result = prober.probe(spec, target.containerId(), owner.podIp());
    boolean changed;
    int run;
    synchronized (this) {
      inFlight = false;
      if (closed || result.isEmpty()) {
        return;
      }
      changed = state.record(result.get());
      run = state.run();
      if (state.done()) {
        cancelTimers();
      }
    }
    logResult(result.get(), run, changed);
    if (!result.get().succeeded()) {
      owner.probeFailed(spec.type(), result.get().message());
    }
    if (changed) {
      owner.verdictChanged(this);
    }
  }

  private void logResult(ProbeResult result, int run, boolean changed) {
    String type = spec.type().name().toLowerCase();
    if (result.succeeded()) {
      if (changed) {
        log.info(
            "{} probe succeeded pod={} container={} id={}",
            type,
            target.key().pod(),
            target.key().container(),
            target.shortId());
      } else if (!result.message().isEmpty()) {
        log.debug(
            "{} probe warning pod={} container={} message={}",
            type,
            target.key().pod(),
            target.key().container(),
            result.message());
      }
      return;
    }
    if (changed && spec.type().killsOnFailure()) {
      log.warn(
          "{} probe failed, container will be restarted pod={} container={} id={} failures={} message={}",
          type,
          target.key().pod(),
          target.key().container(),
          target.shortId(),
          run == 0 ? spec.failureThreshold() : run,
          result.message());
    } else if (changed || run == 1) {
      // the first failure of a streak and the flip are worth an INFO line; the rest of a streak is
      // detail
      log.info(
          "{} probe failed pod={} container={} id={} failures={}/{} message={}",
          type,
          target.key().pod(),
          target.key().container(),
          target.shortId(),
          run,
          spec.failureThreshold(),
          result.message());
    } else {
      log.debug(
          "{} probe failed pod={} container={} failures={}/{} message={}",
          type,
          target.key().pod(),
          target.key().container(),
          run,
          spec.failureThreshold(),
          result.message());
    }
  }

  synchronized ProbeState.Verdict verdict() {
    return state.verdict();
  }

  synchronized String lastFailure() {
    return state.message();
  }

  ProbeSpec spec() {
    return spec;
  }

  ContainerInstance target() {
    return target;
  }

  /** Stops scheduling; a run in flight finishes but its result is dropped. */
  synchronized void close() {
    closed = true;
    cancelTimers();
  }

  private void cancelTimers() {
    if (first != null) {
      first.cancel();
    }
    if (periodic != null) {
      periodic.cancel();
    }
  }
}
