package io.staticlet.mirror;

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
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that makes this node part of a cluster, behind one start/close: the API client, Node
 * registration and status, the Lease heartbeat, and the mirror loop ({@link MirrorSync} with an
 * {@link ApiServerMirrorPublisher}). {@link #start()} returns at once and never blocks on the API
 * server; everything retries in the background. {@link #close()} stops the loops and informers and
 * deletes nothing: the pods keep running, and their mirrors stay until the agent is back.
 */
public final class ClusterAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterAgent.class);
  /** Without {@link LocalPods}, mirrors without a local pod are left alone for this long after start. */
  static final Duration DEFAULT_ORPHAN_GRACE = Duration.ofMinutes(1);
  private static final int SCHEDULER_THREADS = 3;
  /** Status is checked this often until Ready was reported once. */
  private static final Duration FAST_STATUS_PERIOD = Duration.ofMillis(500);

  /** Collaborators a test (or an embedding) may replace. */
  record Dependencies(
      KubernetesClient client, boolean ownsClient, boolean nodeNameFieldSelector, HostInfo host, Scheduler scheduler,
      ApiRateLimiter limiter, MirrorSettings mirrorSettings) {}

  private final ClusterSettings settings;
  private final KubernetesClient client;
  private final boolean ownsClient;
  private final ThreadFactory threads;
  private final Scheduler scheduler;
  private final ExecutorScheduler ownScheduler;
  private final ApiHealth health;
  private final NodeState nodeState;
  private final NodeWatch nodeWatch;
  private final NodeRegistrar registrar;
  private final NodeStatusReporter statusReporter;
  private final LeaseRenewer leaseRenewer;
  private final ApiServerMirrorPublisher publisher;
  private final MirrorSync mirrorSync;
  private final List<Scheduler.Cancellable> periodic = new ArrayList<>();
  private boolean started; // guarded by this
  private boolean closed; // guarded by this

  /**
   * Orphaned mirrors are deleted only after {@link #DEFAULT_ORPHAN_GRACE}; prefer the constructor
   * taking {@link LocalPods}.
   */
  public ClusterAgent(
      ClusterSettings settings, PodStatusStore store, Supplier<String> runtimeVersion, Clock clock, ThreadFactory threads) {
    this(settings, store, LocalPods.startupGrace(clock, DEFAULT_ORPHAN_GRACE), runtimeVersion, clock, threads);
  }

  /**
   * @param localPods which pods the agent may still run, e.g. {@code key -> !desired.listedOnce() ||
   *     desired.get(key).isPresent()}: their mirrors are never deleted as orphans
   * @param runtimeVersion the container engine's version ({@code 20.10.24}); throwing means the
   *     engine is down, and the Node reports NotReady
   */
  public ClusterAgent(
      ClusterSettings settings, PodStatusStore store, LocalPods localPods, Supplier<String> runtimeVersion, Clock clock,
      ThreadFactory threads) {
    this(settings, store, localPods, runtimeVersion, clock, threads, new Dependencies(
        KubeClients.fromKubeconfig(settings), true, true, HostInfo.detect(), null,
        new ApiRateLimiter(settings.qps(), settings.burst(), System::nanoTime), MirrorSettings.defaults()));
  }

  ClusterAgent(
      ClusterSettings settings, PodStatusStore store, LocalPods localPods, Supplier<String> runtimeVersion, Clock clock,
      ThreadFactory threads, Dependencies deps) {
    Objects.requireNonNull(settings, "settings");
    this.settings = settings.nodeIp().isBlank() ? settings.withNodeIp(HostInfo.defaultRouteAddress()) : settings;
    this.client = deps.client();
    this.ownsClient = deps.ownsClient();
    this.threads = threads;
    this.ownScheduler = deps.scheduler() == null ? new ExecutorScheduler(SCHEDULER_THREADS, threads) : null;
    this.scheduler = deps.scheduler() == null ? ownScheduler : deps.scheduler();
    this.health = new ApiHealth(clock);
    ApiCalls calls = new ApiCalls(deps.limiter(), health);
    this.nodeState = new NodeState(settings.nodeName());
    NodeFactory nodeFactory = new NodeFactory(this.settings, deps.host(), runtimeVersion, clock);
    this.nodeWatch = new NodeWatch(client, nodeState, health);
    this.registrar = new NodeRegistrar(client, calls, nodeFactory, nodeState, this.settings, scheduler);
    this.statusReporter = new NodeStatusReporter(client, calls, nodeFactory, nodeState, this.settings, clock);
    this.leaseRenewer = new LeaseRenewer(client, calls, nodeState, settings.nodeName(), settings.leaseDurationSeconds(), clock);
    this.publisher = new ApiServerMirrorPublisher(client, calls, nodeState, health, deps.nodeNameFieldSelector());
    this.mirrorSync = new MirrorSync(store, publisher, localPods, clock, scheduler, deps.mirrorSettings());
  }

  /** Starts everything in the background and returns at once. */
  public synchronized void start() {
    if (started || closed) {
      return;
    }
    started = true;
    log.info("joining cluster node={} server={} registerNode={} version={}", settings.nodeName(),
        client.getMasterUrl(), settings.registerNode(), NodeFactory.KUBELET_VERSION);
    nodeState.addListener(uid -> uid.ifPresent(u -> {
      // a (new) Node: report status and renew the lease now rather than at the next period
      scheduler.schedule(Duration.ZERO, statusReporter::tick);
      scheduler.schedule(Duration.ZERO, leaseRenewer::renew);
    }));
    // after an outage, or when someone else changed our conditions: heartbeat and report now
    health.onRecovered(() -> {
      scheduler.schedule(Duration.ZERO, leaseRenewer::renew);
      scheduler.schedule(Duration.ZERO, statusReporter::tick);
    });
    nodeState.onServerConditionsChanged(() -> scheduler.schedule(Duration.ZERO, statusReporter::tick));
    registrar.start(); // first: the Node should be Ready within seconds of the agent's start
    nodeWatch.start();
    publisher.start();
    mirrorSync.start();
    mirrorSync.startWorkers(threads);
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

  /** The API server answers and our Node object exists. */
  public boolean healthy() {
    return health.reachable() && nodeState.uid().isPresent();
  }

  /** The most recent API failure (any loop), with its time. */
  public Optional<String> lastError() {
    return health.lastError();
  }

  /** UID of our Node object while it is known to exist. */
  public Optional<String> nodeUid() {
    return nodeState.uid();
  }

  /** The mirror loop, for metrics (queue depth, failures). */
  public MirrorSync mirrorSync() {
    return mirrorSync;
  }

  int nodeStatusWrites() {
    return statusReporter.writes();
  }

  int leaseRenewals() {
    return leaseRenewer.renewals();
  }

  /** Stops loops and informers. Deletes nothing. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    registrar.close();
    periodic.forEach(Scheduler.Cancellable::cancel);
    mirrorSync.close();
    nodeWatch.close();
    publisher.close();
    if (ownScheduler != null) {
      ownScheduler.close();
    }
    if (ownsClient) {
      client.close();
    }
    log.info("left cluster loops node={} (pods and mirrors left as they are)", settings.nodeName());
  }
}
