package io.staticlet.mirror;

import io.staticlet.core.events.EventBuffer;
import io.staticlet.core.time.ThreadPoolScheduler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.staticlet.core.mirror.LocalPods;
import io.staticlet.core.mirror.MirrorSettings;
import io.staticlet.core.mirror.MirrorSync;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.time.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * The cluster loops wired together on one API client: registration, node status, lease, node watch
 * and the mirror loop. Built and started by {@link ClusterAgent} on a background thread (building
 * the client loads a lot of classes); {@link #close()} stops them and deletes nothing.
 */
final class ClusterLoops implements AutoCloseable {
  private static final int SCHEDULER_THREADS = 3;
  /** Status is checked this often until Ready was reported once. */
  private static final Duration FAST_STATUS_PERIOD = Duration.ofMillis(500);
  /** The kubelet's eventRecordQPS and eventBurst: events have their own budget and never delay a mirror. */
  private static final double EVENT_QPS = 5;
  private static final int EVENT_BURST = 10;

  /** Collaborators a test (or an embedding) may replace. */
  record Dependencies(
      KubernetesClient client, boolean ownsClient, boolean nodeNameFieldSelector, HostInfo host, Scheduler scheduler,
      ApiRateLimiter limiter, MirrorSettings mirrorSettings) {}

  private final ClusterSettings settings;
  private final Dependencies deps;
  private final ThreadFactory threads;
  private final Scheduler scheduler;
  private final ThreadPoolScheduler ownScheduler;
  private final ApiHealth health;
  final NodeState nodeState;
  private final NodeWatch nodeWatch;
  private final NodeRegistrar registrar;
  final NodeStatusReporter statusReporter;
  final LeaseRenewer leaseRenewer;
  private final ApiServerMirrorPublisher publisher;
  final MirrorSync mirrorSync;
  private final EventPublisher events; // null when nobody records events
  private final ApiPodRejecter apiPods;
  private final List<Scheduler.Cancellable> periodic = new ArrayList<>();
  private final Runnable onRecovered;

  ClusterLoops(ClusterSettings settings, Dependencies deps, ApiHealth health, PodStatusStore store, LocalPods localPods,
      Supplier<String> runtimeVersion, Clock clock, ThreadFactory threads, EventBuffer eventBuffer) {
    this.settings = settings;
    this.deps = deps;
    this.threads = threads;
    this.health = health;
    this.ownScheduler = deps.scheduler() == null ? new ThreadPoolScheduler(SCHEDULER_THREADS, threads) : null;
    this.scheduler = deps.scheduler() == null ? ownScheduler : deps.scheduler();
    KubernetesClient client = deps.client();
    ApiCalls calls = new ApiCalls(deps.limiter(), health);
    this.nodeState = new NodeState(settings.nodeName());
    NodeFactory nodeFactory = new NodeFactory(settings, deps.host(), runtimeVersion, clock);
    this.nodeWatch = new NodeWatch(client, nodeState, health);
    this.registrar = new NodeRegistrar(client, calls, nodeFactory, nodeState, settings, scheduler);
    this.statusReporter = new NodeStatusReporter(client, calls, nodeFactory, nodeState, settings, clock);
    this.leaseRenewer = new LeaseRenewer(client, calls, nodeState, settings.nodeName(), settings.leaseDurationSeconds(), clock);
    this.publisher = new ApiServerMirrorPublisher(client, calls, nodeState, health, deps.nodeNameFieldSelector());
    this.mirrorSync = new MirrorSync(store, publisher, localPods, clock, scheduler, deps.mirrorSettings());
    this.apiPods = new ApiPodRejecter(settings.nodeName(), publisher::writePodStatus, clock);
    publisher.rejectApiPodsWith(apiPods);
    this.events = eventBuffer == null ? null : new EventPublisher(client,
        new ApiCalls(new ApiRateLimiter(EVENT_QPS, EVENT_BURST, System::nanoTime), health), eventBuffer,
        settings.nodeName(), clock);
    this.onRecovered = () -> {
      scheduler.schedule(Duration.ZERO, leaseRenewer::renew);
      scheduler.schedule(Duration.ZERO, statusReporter::tick);
    };
  }

  /** Events the publisher holds, not yet written. */
  int eventsPending() {
    return events == null ? 0 : events.pending();
  }

  KubernetesClient client() {
    return deps.client();
  }

  String server() {
    return String.valueOf(deps.client().getMasterUrl());
  }

  void start() {
    nodeState.addListener(uid -> uid.ifPresent(u -> {
      // a (new) Node: report status and renew the lease now rather than at the next period
      scheduler.schedule(Duration.ZERO, statusReporter::tick);
      scheduler.schedule(Duration.ZERO, leaseRenewer::renew);
    }));
    // after an outage, or when someone else changed our conditions: heartbeat and report now
    health.onRecovered(onRecovered);
    nodeState.onServerConditionsChanged(() -> scheduler.schedule(Duration.ZERO, statusReporter::tick));
    registrar.start(); // first: the Node should be Ready within seconds of the agent's start
    nodeWatch.start();
    apiPods.start(threads);
    publisher.start();
    mirrorSync.start();
    mirrorSync.startWorkers(threads);
    if (events != null) {
      threads.newThread(events).start();
    }
    periodic.add(scheduler.scheduleAtFixedRate(settings.nodeStatusUpdateFrequency(), statusReporter::tick));
    Scheduler.Cancellable[] fast = new Scheduler.Cancellable[1];
    fast[0] = scheduler.scheduleAtFixedRate(FAST_STATUS_PERIOD, () -> {
      if (statusReporter.tickUntilReady() && fast[0] != null) {
        fast[0].cancel();
      }
    });
    periodic.add(fast[0]);
    periodic.add(scheduler.scheduleAtFixedRate(settings.leaseRenew(), leaseRenewer::renew));
  }

  @Override
  public void close() {
    health.removeRecoveryListener(onRecovered);
    registrar.close();
    if (events != null) {
      events.close();
    }
    periodic.forEach(Scheduler.Cancellable::cancel);
    mirrorSync.close();
    nodeWatch.close();
    publisher.close();
    apiPods.close();
    if (ownScheduler != null) {
      ownScheduler.close();
    }
    if (deps.ownsClient()) {
      deps.client().close();
    }
  }
}
