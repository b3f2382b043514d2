package io.staticlet.app.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.staticlet.core.events.KubeletEvents;
import io.staticlet.core.hooks.ExecHookRunner;
import io.staticlet.core.hooks.LifecycleHookRunner;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.probe.ExecProber;
import io.staticlet.core.probe.ProbeManager;
import io.staticlet.core.probe.Prober;
import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.status.ContainerHealth;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.status.PodView;
import io.staticlet.core.time.Scheduler;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Probes and hooks, wired: core's {@link ProbeManager} with the exec prober and {@link
 * NetworkProbes}, the hook runner for the reconciler and the terminator, and the threads they need.
 * Probe ticks run on the agent's shared scheduler; the blocking part of each probe runs on {@value
 * #PROBE_THREADS} {@code probe-N} threads (idle ones exit), so hundreds of probed pods need no
 * thread each. A worker never has more than one run in flight, so the queue is bounded by the
 * number of probes.
 */
public final class Probing implements AutoCloseable {
  static final int PROBE_THREADS = 8;

  private final ContainerRuntime runtime;
  private final PodStatusStore store;
  private final Function<PodKey, Optional<StaticPod>> desired;
  private final ThreadPoolExecutor probeExecutor;
  private final ExecutorService httpClientExecutor =
      Executors.newCachedThreadPool(threads("probe-http"));
  private final NetworkProbes network;
  private final ProbeManager manager;
  private final LifecycleHookRunner hooks;

  /**
   * @param desired the desired pod by key
   * @param enqueue the reconcile queue's {@code add}: told about every probe verdict change
   */
  public Probing(
      ContainerRuntime runtime,
      PodStatusStore store,
      Function<PodKey, Optional<StaticPod>> desired,
      Consumer<PodKey> enqueue,
      Scheduler scheduler,
      Clock clock,
      KubeletEvents events) {
    this.runtime = runtime;
    this.store = store;
    this.desired = desired;
    this.probeExecutor =
        new ThreadPoolExecutor(
            PROBE_THREADS,
            PROBE_THREADS,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            threads("probe"));
    probeExecutor.allowCoreThreadTimeOut(true);
    this.network = new NetworkProbes(httpClientExecutor);
    this.manager =
        new ProbeManager(
            store,
            desired,
            new Prober(new ExecProber(runtime), network),
            enqueue,
            scheduler,
            probeExecutor,
            clock,
            events);
    this.hooks = new ExecHookRunner(runtime, new HttpHookRunner(network.http(), this::portsOf));
  }

  /** Liveness, readiness and startup results for the reconciler's status and kills. */
  public ContainerHealth health() {
    return manager;
  }

  /** postStart and preStop: exec and sleep in core, httpGet here. */
  public LifecycleHookRunner hooks() {
    return hooks;
  }

  /** Starts following pod status; call before the reconcile workers start. */
  public void start() {
    manager.start();
  }

  /** Declared ports of a running container, to resolve a hook's named port. */
  private List<ContainerPort> portsOf(String containerId) {
    Optional<RuntimeContainer> container =
        runtime.listManaged().stream().filter(c -> c.id().equals(containerId)).findFirst();
    if (container.isEmpty()) {
      return List.of();
    }
    RuntimeContainer c = container.get();
    Optional<StaticPod> pod =
        desired
            .apply(c.pod())
            .filter(p -> p.uid().equals(c.podUid()))
            .or(() -> store.get(c.pod()).map(PodView::pod).filter(p -> p.uid().equals(c.podUid())));
    return pod.flatMap(
            p ->
                p.pod().getSpec().getContainers().stream()
                    .filter(s -> s.getName().equals(c.name()))
                    .findFirst())
        .map(Container::getPorts)
        .orElse(List.of());
  }

  @Override
  public void close() {
    manager.close();
    network.close();
    probeExecutor.shutdownNow();
    httpClientExecutor.shutdownNow();
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + next.getAndIncrement());
      t.setDaemon(true);
      return t;
    };
  }
}
