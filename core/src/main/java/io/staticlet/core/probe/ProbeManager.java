package io.staticlet.core.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.staticlet.core.events.KubeletEvents;
import io.staticlet.core.pod.ContainerKey;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.status.ContainerHealth;
import io.staticlet.core.status.ContainerStateValue;
import io.staticlet.core.status.ContainerStatusValue;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.status.PodView;
import io.staticlet.core.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's probe manager and results cache in one: follows the {@link PodStatusStore} to learn
 * which app containers run (by container ID), keeps one {@link ContainerProbes} per running
 * instance that has probes, stops them when the instance stops, and answers the reconciler through
 * {@link ContainerHealth}. Every verdict flip enqueues the pod, so status and kills follow at once.
 *
 * <p>An instance the manager has not seen yet (the reconciler asks before the status that reveals
 * it is stored) is answered from its spec: without readiness and startup probes it is ready as soon
 * as it runs, otherwise not yet. Thread-safe; the store listener only schedules a sync.
 */
public final class ProbeManager implements ContainerHealth, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProbeManager.class);
  private static final String DOCKER = "docker://";

  private final PodStatusStore store;
  private final Function<PodKey, Optional<StaticPod>> desired;
  private final Prober prober;
  private final Consumer<PodKey> enqueue;
  private final Scheduler scheduler;
  private final Executor executor;
  private final Clock clock;
  private final KubeletEvents events;
  private final Map<ContainerInstance, ContainerProbes> probes = new ConcurrentHashMap<>();
  private final Set<PodKey> pendingSyncs = new HashSet<>(); // guarded by itself
  private volatile boolean closed;

  /**
   * @param desired the desired pod by key (to answer for instances not probed yet)
   * @param enqueue called with the pod whenever a probe verdict changes; must only enqueue
   * @param executor where blocking probe runs go: small and bounded
   * @param events where failed probe runs are recorded ({@code Unhealthy})
   */
  public ProbeManager(
      PodStatusStore store,
      Function<PodKey, Optional<StaticPod>> desired,
      Prober prober,
      Consumer<PodKey> enqueue,
      Scheduler scheduler,
      Executor executor,
      Clock clock,
      KubeletEvents events) {
    this.events = events;
    this.store = store;
    this.desired = desired;
    this.prober = prober;
    this.enqueue = enqueue;
    this.scheduler = scheduler;
    this.executor = executor;
    this.clock = clock;
  }

  /** Follows the status store from now on, starting with the pods it already holds. */
  public void start() {
    store.addListener(this::statusChanged);
    store.all().forEach(view -> statusChanged(view.key()));
  }

  private void statusChanged(PodKey key) {
    if (closed) {
      return;
    }
    synchronized (pendingSyncs) {
      if (!pendingSyncs.add(key)) {
        return; // a sync is already scheduled and will read the newest view
      }
    }
    scheduler.schedule(Duration.ZERO, () -> sync(key));
  }

  /**
   * Starts probes for new running instances of the pod and stops those of instances that stopped.
   */
  synchronized void sync(PodKey key) {
    synchronized (pendingSyncs) {
      pendingSyncs.remove(key);
    }
    Optional<PodView> view = closed ? Optional.empty() : store.get(key);
    Map<ContainerInstance, ContainerStatusValue> running =
        view.map(ProbeManager::runningInstances).orElse(Map.of());
    for (ContainerInstance instance : List.copyOf(probes.keySet())) {
      if (instance.key().pod().equals(key) && !running.containsKey(instance)) {
        probes.remove(instance).close();
        log.debug(
            "stopped probing pod={} container={} id={}",
            key,
            instance.key().container(),
            instance.shortId());
      }
    }
    if (view.isEmpty()) {
      return;
    }
    String podIp = view.get().status().podIp();
    for (var entry : running.entrySet()) {
      ContainerInstance instance = entry.getKey();
      ContainerProbes existing = probes.get(instance);
      if (existing != null) {
        existing.podIp(podIp);
        continue;
      }
      Optional<Container> spec = container(view.get().pod(), instance.key().container());
      List<ProbeSpec> specs = spec.map(ProbeSpecs::of).orElse(List.of());
      if (specs.isEmpty()) {
        continue;
      }
      Instant startedAt =
          Optional.ofNullable(((ContainerStateValue.Running) entry.getValue().state()).startedAt())
              .orElse(clock.instant());
      ContainerProbes added =
          new ContainerProbes(
              instance,
              specs,
              podIp,
              startedAt,
              prober,
              scheduler,
              executor,
              clock,
              this::verdictChanged,
              events);
      probes.put(instance, added);
      added.start();
      log.info(
          "probing container pod={} container={} id={} probes={}",
          key,
          instance.key().container(),
          instance.shortId(),
          specs.stream().map(s -> s.type().name().toLowerCase()).toList());
    }
  }

  private static Map<ContainerInstance, ContainerStatusValue> runningInstances(PodView view) {
    Map<ContainerInstance, ContainerStatusValue> running = new HashMap<>();
    for (ContainerStatusValue s : view.status().containerStatuses()) {
      String id = s.containerId();
      if (s.running() && id.startsWith(DOCKER)) {
        ContainerKey key = new ContainerKey(view.key(), view.pod().uid(), s.name());
        running.put(new ContainerInstance(key, id.substring(DOCKER.length())), s);
      }
    }
    return running;
  }

  private void verdictChanged(ContainerInstance instance) {
    if (!closed && probes.containsKey(instance)) {
      enqueue.accept(instance.key().pod());
    }
  }

  @Override
  public boolean ready(ContainerKey container, String containerId) {
    ContainerProbes p = probes.get(new ContainerInstance(container, containerId));
    if (p != null) {
      return p.ready();
    }
    return specOf(container)
        .map(
            c ->
                !ProbeSpecs.hasProbe(c, ProbeType.READINESS)
                    && !ProbeSpecs.hasProbe(c, ProbeType.STARTUP))
        .orElse(true);
  }

  @Override
  public boolean started(ContainerKey container, String containerId) {
    ContainerProbes p = probes.get(new ContainerInstance(container, containerId));
    if (p != null) {
      return p.started();
    }
    return specOf(container).map(c -> !ProbeSpecs.hasProbe(c, ProbeType.STARTUP)).orElse(true);
  }

  @Override
  public Optional<String> mustRestart(ContainerKey container, String containerId) {
    ContainerProbes p = probes.get(new ContainerInstance(container, containerId));
    return p == null ? Optional.empty() : p.mustRestart();
  }

  @Override
  public Optional<Duration> killGracePeriod(ContainerKey container, String containerId) {
    ContainerProbes p = probes.get(new ContainerInstance(container, containerId));
    return p == null ? Optional.empty() : p.killGrace();
  }

  /** Running instances with probes, for tests and diagnostics. */
  int probedInstances() {
    return probes.size();
  }

  private Optional<Container> specOf(ContainerKey key) {
    Optional<StaticPod> pod = desired.apply(key.pod()).filter(p -> p.uid().equals(key.podUid()));
    if (pod.isEmpty()) {
      pod = store.get(key.pod()).map(PodView::pod).filter(p -> p.uid().equals(key.podUid()));
    }
    return pod.flatMap(p -> container(p, key.container()));
  }

  private static Optional<Container> container(StaticPod pod, String name) {
    return pod.pod().getSpec().getContainers().stream()
        .filter(c -> name.equals(c.getName()))
        .findFirst();
  }

  /** Stops every worker; probes in flight finish but their results are dropped. */
  @Override
  public synchronized void close() {
    closed = true;
    probes.values().forEach(ContainerProbes::close);
    probes.clear();
  }
}
