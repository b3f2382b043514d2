package io.staticlet.mirror;

import io.staticlet.core.events.EventBuffer;
import io.staticlet.core.mirror.LocalPods;
import io.staticlet.core.mirror.MirrorSettings;
import io.staticlet.core.mirror.MirrorSync;
import io.staticlet.core.status.PodStatusStore;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that makes this node part of a cluster, behind one start/close: the API client, Node
 * registration and status, the Lease heartbeat, and the mirror loop ({@link MirrorSync} with an
 * {@link ApiServerMirrorPublisher}). {@link #start()} returns at once: the client is built and the
 * loops are started on a background thread (a cold JVM takes seconds to load the client), and
 * everything retries in the background while the API server is away. {@link #close()} stops the
 * loops and informers and deletes nothing: the pods keep running, and their mirrors stay.
 */
public final class ClusterAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterAgent.class);
  /** Without {@link LocalPods}, mirrors without a local pod are left alone for this long after start. */
  static final Duration DEFAULT_ORPHAN_GRACE = Duration.ofMinutes(1);

  private final ClusterSettings settings;
  private final PodStatusStore store;
  private final LocalPods localPods;
  private final Supplier<String> runtimeVersion;
  private final Clock clock;
  private final ThreadFactory threads;
  private final Supplier<ClusterLoops.Dependencies> dependencies;
  private final ApiHealth health;
  private volatile EventBuffer events;
  private ClusterLoops loops; // guarded by this
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
   * @param runtimeVersion the container engine's version ({@code 20.10.24}); throwing or empty means
   *     the engine is down, and the Node reports NotReady
   * @param threads names and creates every thread of the cluster loops
   * @throws IllegalArgumentException when the kubeconfig cannot be read
   */
  public ClusterAgent(
      ClusterSettings settings, PodStatusStore store, LocalPods localPods, Supplier<String> runtimeVersion, Clock clock,
      ThreadFactory threads) {
    this(settings, store, localPods, runtimeVersion, clock, threads, () -> new ClusterLoops.Dependencies(
        KubeClients.fromKubeconfig(settings), true, true, HostInfo.detect(), null,
        new ApiRateLimiter(settings.qps(), settings.burst(), System::nanoTime), MirrorSettings.defaults()));
    if (!Files.isReadable(settings.kubeconfig())) {
      throw new IllegalArgumentException("kubeconfig " + settings.kubeconfig() + " is not readable");
    }
  }

  ClusterAgent(
      ClusterSettings settings, PodStatusStore store, LocalPods localPods, Supplier<String> runtimeVersion, Clock clock,
      ThreadFactory threads, Supplier<ClusterLoops.Dependencies> dependencies) {
    Objects.requireNonNull(settings, "settings");
    this.settings = settings.nodeIp().isBlank() ? settings.withNodeIp(HostInfo.defaultRouteAddress()) : settings;
    this.store = store;
    this.localPods = localPods;
    this.runtimeVersion = runtimeVersion;
    this.clock = clock;
    this.threads = threads;
    this.dependencies = dependencies;
    this.health = new ApiHealth(clock);
  }

  /** Reports every API call to {@code observer} (metrics); call before {@link #start()}. */
  public void observeApiCalls(ApiCallObserver observer) {
    health.observeCalls(observer);
  }

  /** Publishes the pod events recorded into {@code buffer} as v1 Events; call before {@link #start()}. */
  public void publishEvents(EventBuffer buffer) {
    this.events = buffer;
  }

  /** Builds the client and starts every loop on a background thread; returns at once. */
  public synchronized void start() {
    if (started || closed) {
      return;
    }
    started = true;
    threads.newThread(this::connect).start();
  }

  private void connect() {
    ClusterLoops built;
    try {
      built = new ClusterLoops(settings, dependencies.get(), health, store, localPods, runtimeVersion, clock, threads,
          events);
    } catch (RuntimeException e) {
      // a broken kubeconfig: nothing will ever work, and retrying will not help
      health.failed("connect", "cannot build the API client from " + settings.kubeconfig() + ": " + e.getMessage());
      log.error("cannot join the cluster: the API client could not be built kubeconfig={}", settings.kubeconfig(), e);
      return;
    }
    synchronized (this) {
      if (closed) {
        built.close();
        return;
      }
      loops = built;
      log.info("joining cluster node={} server={} registerNode={} version={}", settings.nodeName(), built.server(),
          settings.registerNode(), NodeFactory.KUBELET_VERSION);
      built.start();
    }
  }

  private synchronized Optional<ClusterLoops> loops() {
    return Optional.ofNullable(loops);
  }

  /** The API server answers and our Node object exists. */
  public boolean healthy() {
    return health.reachable() && nodeUid().isPresent();
  }

  /** The most recent API failure (any loop), with its time. */
  public Optional<String> lastError() {
    return health.lastError();
  }

  /** UID of our Node object while it is known to exist. */
  public Optional<String> nodeUid() {
    return loops().flatMap(l -> l.nodeState.uid());
  }

  /** The mirror loop once started, for metrics (queue depth, failures). */
  public Optional<MirrorSync> mirrorSync() {
    return loops().map(l -> l.mirrorSync);
  }

  /** TokenReviews and SubjectAccessReviews on this agent's API client (once it is built). */
  public AccessReviewClient accessReviews() {
    return new AccessReviewClient(() -> loops().map(l -> l.client()));
  }

  /** Events taken from the buffer but not yet written to the API server. */
  public int eventsPending() {
    return loops().map(ClusterLoops::eventsPending).orElse(0);
  }

  int nodeStatusWrites() {
    return loops().map(l -> l.statusReporter.writes()).orElse(0);
  }

  int leaseRenewals() {
    return loops().map(l -> l.leaseRenewer.renewals()).orElse(0);
  }

  /** Stops loops and informers. Deletes nothing. */
  @Override
  public void close() {
    ClusterLoops toClose;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = loops;
    }
    if (toClose != null) {
      toClose.close();
    }
    log.info("left cluster loops node={} (pods and mirrors left as they are)", settings.nodeName());
  }
}
