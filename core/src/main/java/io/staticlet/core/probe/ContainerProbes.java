package io.staticlet.core.probe;

import io.staticlet.core.events.KubeletEvents;
import io.staticlet.core.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The probes of one running container instance and what they mean together: started once the
 * startup probe (if any) succeeded; ready once started and the readiness probe (if any) succeeded;
 * to be restarted once liveness or startup failed. Liveness and readiness do not run before the
 * container has started; when it does, readiness is probed at once rather than a period later.
 */
final class ContainerProbes implements ProbeWorker.Owner {
  private final ContainerInstance target;
  private final Instant startedAt;
  private final Map<ProbeType, ProbeWorker> workers = new EnumMap<>(ProbeType.class);
  private final Consumer<ContainerInstance> onChange;
  private final KubeletEvents events;
  private volatile String podIp;

  ContainerProbes(
      ContainerInstance target,
      List<ProbeSpec> specs,
      String podIp,
      Instant startedAt,
      Prober prober,
      Scheduler scheduler,
      Executor executor,
      Clock clock,
      Consumer<ContainerInstance> onChange,
      KubeletEvents events) {
    this.target = target;
    this.events = events;
    this.startedAt = startedAt;
    this.podIp = podIp;
    this.onChange = onChange;
    for (ProbeSpec spec : specs) {
      workers.put(
          spec.type(), new ProbeWorker(target, spec, this, prober, scheduler, executor, clock));
    }
  }

  void start() {
    workers.values().forEach(w -> w.start(startedAt));
  }

  void close() {
    workers.values().forEach(ProbeWorker::close);
  }

  boolean started() {
    ProbeWorker startup = workers.get(ProbeType.STARTUP);
    return startup == null || startup.verdict() == ProbeState.Verdict.SUCCESS;
  }

  boolean ready() {
    ProbeWorker readiness = workers.get(ProbeType.READINESS);
    return started() && (readiness == null || readiness.verdict() == ProbeState.Verdict.SUCCESS);
  }

  /** The failed liveness or startup probe, if one failed. */
  private Optional<ProbeWorker> failedKiller() {
    for (ProbeType type : new ProbeType[] {ProbeType.STARTUP, ProbeType.LIVENESS}) {
      ProbeWorker w = workers.get(type);
      if (w != null && w.verdict() == ProbeState.Verdict.FAILURE) {
        return Optional.of(w);
      }
    }
    return Optional.empty();
  }

  Optional<String> mustRestart() {
    return failedKiller()
        .map(
            w ->
                "container "
                    + target.key().container()
                    + " failed "
                    + w.spec().type().name().toLowerCase()
                    + " probe, will be restarted: "
                    + w.lastFailure());
  }

  Optional<Duration> killGrace() {
    return failedKiller().flatMap(w -> w.spec().killGrace());
  }

  void podIp(String ip) {
    this.podIp = ip;
  }

  @Override
  public String podIp() {
    return podIp;
  }

  @Override
  public boolean mayProbe(ProbeType type) {
    return type == ProbeType.STARTUP || started();
  }

  @Override
  public void probeFailed(ProbeType type, String message) {
    String name = type.name().charAt(0) + type.name().substring(1).toLowerCase(Locale.ROOT);
    events.unhealthy(
        target.key().pod(), target.key().podUid(), target.key().container(), name, message);
  }

  @Override
  public void verdictChanged(ProbeWorker worker) {
    if (worker.spec().type() == ProbeType.STARTUP
        && worker.verdict() == ProbeState.Verdict.SUCCESS) {
      ProbeWorker readiness = workers.get(ProbeType.READINESS);
      if (readiness != null) {
        readiness.probeNow();
      }
    }
    onChange.accept(target);
  }
}
