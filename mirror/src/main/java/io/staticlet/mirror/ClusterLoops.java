package io.staticlet.mirror;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.staticlet.core.mirror.MirrorSync;
import io.staticlet.core.time.Scheduler;
import io.staticlet.core.time.ThreadPoolScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cluster loops on one API client: registration, node status, Lease, node watch, the mirror
 * loop, API-pod rejection and event publishing. {@link ClusterAgent} builds a new set for each new
 * client (credentials changed) and closes the old one first; {@link #close()} deletes nothing.
 *
 * <p>Concurrency contract. Threads, all from {@link ClusterWiring#threads()} and all ended by
 * {@link #close()} (the writers let finish their call first, see there): a scheduler of {@value
 * #SCHEDULER_THREADS} threads owned by this set runs registration attempts, status ticks and Lease
 * renewals (each is one API call of at most the client's request timeout, so these tasks block that
 * long: this scheduler is the cluster side's own, never the agent's); the mirror loop's workers;
 * one API-pod rejecter worker; one event publisher thread; fabric8's informer threads for the node
 * and pod watches. Informer callbacks and the listeners wired in {@link #start()} only record or
 * enqueue. State: {@link NodeState} is this set's, shared by its loops (thread-safe); {@link
 * ApiHealth} outlives it (the agent's, across clients), so the one recovery listener registered
 * here is removed on close.
 */
final class ClusterLoops implements AutoCloseable {
  private static final int SCHEDULER_THREADS = 3;

  /** Status is checked this often until Ready was reported once. */
  private static final Duration FAST_STATUS_PERIOD = Duration.ofMillis(500);

  /**
   * The kubelet's eventRecordQPS and eventBurst: events have their own budget and never delay a
   * mirror.
   */
  private static final double EVENT_QPS = 5;

  private static final int EVENT_BURST = 10;

  /** How long {@link #close()} lets each writer finish the API call it is in. */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

  private final ClusterWiring wiring;
  private final KubernetesClient client;
  private final ThreadPoolScheduler scheduler;
  private final ApiHealth health;
  private final NodeState nodeState;
  private final NodeWatch nodeWatch;
  private final NodeRegistrar registrar;
  private final NodeStatusReporter statusReporter;
  private final LeaseRenewer leaseRenewer;
  private final ApiServerMirrorPublisher publisher;
  private final MirrorSync mirrorSync;
  private final EventPublisher events;
  private final ApiPodRejecter apiPods;
  private final List<Scheduler.Cancellable> periodic = new ArrayList<>();
  private final Runnable onRecovered = this::apiServerBack;

  ClusterLoops(ClusterWiring wiring, KubernetesClient client, ApiHealth health) {
    ClusterSettings settings = wiring.settings();
    ClusterWiring.Collaborators with = wiring.collaborators();
    this.wiring = wiring;
    this.client = client;
    this.health = health;
    this.scheduler = new ThreadPoolScheduler(SCHEDULER_THREADS, wiring.threads());
    ApiCalls calls =
        new ApiCalls(
            new ApiRateLimiter(settings.api().qps(), settings.api().burst(), System::nanoTime),
            health);
    this.nodeState = new NodeState(settings.nodeName());
    NodeFactory nodeFactory =
        new NodeFactory(settings, with.host().get(), wiring.runtimeVersion(), wiring.clock());
    this.nodeWatch = new NodeWatch(client, nodeState, health);
    this.registrar = new NodeRegistrar(client, calls, nodeFactory, nodeState, settings, scheduler);
    this.statusReporter =
        new NodeStatusReporter(client, calls, nodeFactory, nodeState, settings, wiring.clock());
    this.leaseRenewer =
        new LeaseRenewer(
            client,
            calls,
            nodeState,
            settings.nodeName(),
            settings.heartbeats().leaseDurationSeconds(),
            wiring.clock());
    this.publisher =
        new ApiServerMirrorPublisher(
            client, calls, nodeState, health, with.nodeNameFieldSelector(), wiring.clock());
    this.mirrorSync =
        new MirrorSync(
            wiring.store(),
            publisher,
            wiring.localPods(),
            wiring.clock(),
            scheduler,
            with.mirror());
    this.apiPods = publisher.apiPodRejecter();
    this.events =
        new EventPublisher(
            client,
            new ApiCalls(new ApiRateLimiter(EVENT_QPS, EVENT_BURST, System::nanoTime), health),
            wiring.events(),
            settings.nodeName(),
            wiring.clock());
  }

  /** Wires the listeners, each once, then starts every loop; returns at once. */
  void start() {
    ClusterSettings settings = wiring.settings();
    nodeState.addListener(uid -> uid.ifPresentOrElse(this::nodePresent, registrar::nodeGone));
    nodeState.onServerConditionsChanged(this::reportStatusNow);
    health.onRecovered(onRecovered);
    registrar.start(); // first: the Node should be Ready within seconds of the agent's start
    nodeWatch.start();
    apiPods.start(wiring.threads());
    publisher.start();
    mirrorSync.start();
    mirrorSync.startWorkers(wiring.threads());
    wiring.threads().newThread(events).start();
    periodic.add(
        scheduler.scheduleAtFixedRate(settings.heartbeats().statusUpdate(), statusReporter::tick));
    Scheduler.Cancellable[] fast = new Scheduler.Cancellable[1];
    fast[0] =
        scheduler.scheduleAtFixedRate(
            FAST_STATUS_PERIOD,
            () -> {
              if (statusReporter.tickUntilReady() && fast[0] != null) {
                fast[0].cancel();
              }
            });
    periodic.add(fast[0]);
    periodic.add(
        scheduler.scheduleAtFixedRate(settings.heartbeats().leaseRenew(), leaseRenewer::renew));
  }

  /**
   * A (new) Node: report status, renew the Lease and look at every mirror now, not at the next
   * period.
   */
  private void nodePresent(String uid) {
    reportStatusNow();
    scheduler.schedule(Duration.ZERO, leaseRenewer::renew);
    publisher.resyncAll("node object " + uid + " present");
  }

  /** After an outage: heartbeat, report and look at every mirror now. */
  private void apiServerBack() {
    scheduler.schedule(Duration.ZERO, leaseRenewer::renew);
    reportStatusNow();
    publisher.resyncAll("API server answers again");
  }

  /** Also when someone else changed our conditions (the node lifecycle controller's Unknown). */
  private void reportStatusNow() {
    scheduler.schedule(Duration.ZERO, statusReporter::tick);
  }

  /** Events the publisher holds, not yet written. */
  int eventsPending() {
    return events.pending();
  }

  KubernetesClient client() {
    return client;
  }

  String server() {
    return String.valueOf(client.getMasterUrl());
  }

  Optional<String> nodeUid() {
    return nodeState.uid();
  }

  MirrorSync mirrorSync() {
    return mirrorSync;
  }

  /**
   * The writers first (mirror workers, API-pod rejecter, the scheduler's status, Lease and
   * registration calls), each let finish the call it is in for up to {@link #CLOSE_GRACE}, then the
   * watches, then the client. So none of those writes lands after close returns (an interrupted
   * call's request is on the wire all the same): the next set's writes never race them after a
   * credential switch, and no write's watch event is still on its way while the watch closes. The
   * event publisher is still interrupted at once (an Event in flight may land later; no watch of
   * ours sees Events). Worst case, with calls hanging on a server that does not answer, ~3 × the
   * grace.
   */
  @Override
  public void close() {
    health.removeRecoveryListener(onRecovered);
    registrar.close();
    periodic.forEach(Scheduler.Cancellable::cancel);
    mirrorSync.close(CLOSE_GRACE);
    apiPods.close(CLOSE_GRACE);
    scheduler.close(CLOSE_GRACE);
    events.close();
    nodeWatch.close();
    publisher.close();
    if (wiring.collaborators().ownsClients()) {
      client.close();
    }
  }
}
