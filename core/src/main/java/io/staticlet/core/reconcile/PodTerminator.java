package io.staticlet.core.reconcile;

import io.staticlet.core.events.KubeletEvents;
import io.staticlet.core.hooks.ExecHookRunner;
import io.staticlet.core.hooks.LifecycleHookRunner;
import io.staticlet.core.runtime.ContainerNotFoundException;
import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.runtime.LifecycleHandler;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops containers the kubelet's way ({@code killContainer}, docs/kubelet.md §4.4): the preStop
 * hook first, then SIGTERM with what is left of the grace period (at least 2 s), then SIGKILL. App
 * and init containers stop in parallel, then the sandbox. Grace period and preStop come from the
 * container's labels, so containers of a manifest that is gone are stopped correctly too. A
 * container's preStop runs once: a stop retried after the engine missed its deadline goes straight
 * to SIGTERM.
 *
 * <p>Called on a reconcile worker thread; blocks until the containers are stopped (hooks and engine
 * calls each have a deadline). The stops of one pod run in parallel on the executor given.
 */
public final class PodTerminator {
  private static final Logger log = LoggerFactory.getLogger(PodTerminator.class);
  static final Duration MIN_GRACE = Duration.ofSeconds(2);
  private static final int PRE_STOP_MEMORY = 4096;

  private final ContainerRuntime runtime;
  private final Clock clock;
  private final Executor executor;
  private final LifecycleHookRunner hooks;
  private final KubeletEvents events;

  /**
   * Containers whose preStop already ran: a stop retried after its deadline does not run it again.
   */
  private final Set<String> preStopRan =
      Collections.newSetFromMap(
          new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > PRE_STOP_MEMORY;
            }
          });

  /**
   * @param events where {@code Killing} and {@code FailedPreStopHook} go
   */
  public PodTerminator(
      ContainerRuntime runtime,
      Clock clock,
      Executor executor,
      LifecycleHookRunner hooks,
      KubeletEvents events) {
    this.runtime = runtime;
    this.clock = clock;
    this.executor = executor;
    this.hooks = hooks;
    this.events = events;
  }

  /** With exec-only hooks and no events (tests). */
  public PodTerminator(ContainerRuntime runtime, Clock clock, Executor executor) {
    this(runtime, clock, executor, new ExecHookRunner(runtime), KubeletEvents.none(clock));
  }

  /**
   * Stops every running container in {@code containers}, sandboxes last, and waits until all are
   * stopped.
   */
  public void stopAll(List<RuntimeContainer> containers, String why) {
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (RuntimeContainer c : containers) {
      if (!c.isSandbox() && c.isRunning()) {
        String podIp =
            containers.stream()
                .filter(s -> s.id().equals(c.sandboxId()))
                .map(RuntimeContainer::ip)
                .filter(ip -> !ip.isEmpty())
                .findFirst()
                .orElseGet(runtime::hostIp);
        stops.add(
            CompletableFuture.runAsync(
                () -> stopContainer(c, podIp, c.gracePeriod(), why), executor));
      }
    }
    CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
    for (RuntimeContainer c : containers) {
      if (c.isSandbox() && c.isRunning()) {
        stopQuietly(c, MIN_GRACE);
        log.info("sandbox stopped pod={} id={} reason={}", c.pod(), c.shortId(), why);
      }
    }
  }

  /** Stops then removes every container in {@code containers} (sandboxes last). */
  public void stopAndRemoveAll(List<RuntimeContainer> containers, String why) {
    stopAll(containers, why);
    for (RuntimeContainer c : containers) {
      if (!c.isSandbox()) {
        runtime.remove(c.id());
      }
    }
    for (RuntimeContainer c : containers) {
      if (c.isSandbox()) {
        runtime.remove(c.id());
      }
    }
  }

  /**
   * Stops one container: preStop within {@code grace}, then SIGTERM with what is left (at least 2
   * s).
   */
  public void stopContainer(RuntimeContainer c, String podIp, Duration grace, String why) {
    stopContainer(c, podIp, grace, why, "Stopping container " + c.name());
  }

  /**
   * As {@link #stopContainer(RuntimeContainer, String, Duration, String)}, with the {@code Killing}
   * event's message.
   */
  public void stopContainer(
      RuntimeContainer c, String podIp, Duration grace, String why, String killingMessage) {
    events.killing(c.pod(), c.podUid(), c.role(), c.name(), killingMessage);
    Ticker ticker =
        Ticker.of(
            clock); // what preStop took: monotonic, so a wall-clock step cannot stretch the grace
    long start = ticker.nanos();
    runPreStop(c, podIp, grace);
    Duration left = grace.minus(Duration.ofNanos(ticker.nanos() - start));
    // Docker takes whole seconds: round up so a 5 s grace period is not cut to 4 s by the preStop
    // bookkeeping
    left = Duration.ofSeconds((left.toMillis() + 999) / 1000);
    if (left.compareTo(MIN_GRACE) < 0) {
      left = MIN_GRACE;
    }
    log.info(
        "stopping container pod={} container={} id={} grace={}s reason={}",
        c.pod(),
        c.name(),
        c.shortId(),
        left.toSeconds(),
        why);
    stopQuietly(c, left);
  }

  private void stopQuietly(RuntimeContainer c, Duration grace) {
    try {
      runtime.stop(c.id(), grace);
    } catch (ContainerNotFoundException gone) {
      // already gone: that is what we wanted
    }
  }

  private void runPreStop(RuntimeContainer c, String podIp, Duration grace) {
    if (c.preStop().isEmpty()) {
      return;
    }
    LifecycleHandler handler = c.preStop().get();
    synchronized (preStopRan) {
      if (!preStopRan.add(c.id())) {
        log.info("preStop hook already ran, not again pod={} container={}", c.pod(), c.name());
        return;
      }
    }
    try {
      Optional<String> failure = hooks.run(c.id(), podIp, handler, grace);
      if (failure.isPresent()) {
        events.hookFailed(c.pod(), c.podUid(), c.role(), c.name(), "PreStop", failure.get());
        log.warn(
            "preStop hook failed pod={} container={} error={}", c.pod(), c.name(), failure.get());
      } else {
        log.info("preStop hook ran pod={} container={}", c.pod(), c.name());
      }
    } catch (RuntimeException e) {
      events.hookFailed(
          c.pod(), c.podUid(), c.role(), c.name(), "PreStop", String.valueOf(e.getMessage()));
      log.warn(
          "preStop hook failed pod={} container={} error={}", c.pod(), c.name(), e.getMessage());
    }
  }
}
