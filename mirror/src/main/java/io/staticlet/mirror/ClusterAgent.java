package io.staticlet.mirror;

import io.staticlet.core.events.EventBuffer;
import io.staticlet.core.mirror.LocalPods;
import io.staticlet.core.mirror.MirrorSettings;
import io.staticlet.core.mirror.MirrorSync;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.time.Scheduler;
import io.staticlet.core.time.ThreadPoolScheduler;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.staticlet.mirror.credentials.ClientCertificate;
import io.staticlet.mirror.credentials.NodeCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
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
  private final CredentialLoop credentialLoop; // null: the kubeconfig is read once by dependencies
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
    this(settings, store, localPods, runtimeVersion, clock, threads,
        () -> defaultDependencies(KubeClients.fromKubeconfig(settings), settings));
    if (!Files.isReadable(settings.kubeconfig())) {
      throw new IllegalArgumentException("kubeconfig " + settings.kubeconfig() + " is not readable");
    }
  }

  /**
   * Credentials from {@code credentials} (TLS bootstrap, rotation, kubeconfig changes on disk); a
   * connection that cannot be made is retried with back-off, and new credentials replace the API
   * client and the loops built on it while the pods and the core state stay.
   */
  public ClusterAgent(
      ClusterSettings settings, NodeCredentials credentials, PodStatusStore store, LocalPods localPods,
      Supplier<String> runtimeVersion, Clock clock, ThreadFactory threads) {
    this(settings, store, localPods, runtimeVersion, clock, threads, null, credentials,
        new ThreadPoolScheduler(1, threads), Math::random, null);
  }

  ClusterAgent(
      ClusterSettings settings, PodStatusStore store, LocalPods localPods, Supplier<String> runtimeVersion, Clock clock,
      ThreadFactory threads, Supplier<ClusterLoops.Dependencies> dependencies) {
    this(settings, store, localPods, runtimeVersion, clock, threads, dependencies, null, null, null, null);
  }

  /**
   * With {@code credentials}: {@code dependencies} may be null (the real collaborators),
   * {@code credentialScheduler} runs every credential step, {@code clients} builds the API client
   * from the credentials (null: the agent's tuned client).
   */
  ClusterAgent(
      ClusterSettings settings, PodStatusStore store, LocalPods localPods, Supplier<String> runtimeVersion, Clock clock,
      ThreadFactory threads, Supplier<ClusterLoops.Dependencies> dependencies, NodeCredentials credentials,
      Scheduler credentialScheduler, DoubleSupplier random,
      Function<Config, KubernetesClient> clients) {
    Objects.requireNonNull(settings, "settings");
    this.settings = settings.nodeIp().isBlank() ? settings.withNodeIp(HostInfo.defaultRouteAddress()) : settings;
    this.store = store;
    this.localPods = localPods;
    this.runtimeVersion = runtimeVersion;
    this.clock = clock;
    this.threads = threads;
    this.dependencies = dependencies;
    this.health = new ApiHealth(clock);
    this.credentialLoop = credentials == null ? null
        : new CredentialLoop(credentials, credentialScheduler, clock, random, this::swap, this::currentClient, health,
            clients != null ? clients : config -> KubeClients.fromConfig(config, this.settings));
  }

  /** A client for TLS bootstrap (the bootstrap kubeconfig's credentials), tuned like the agent's. */
  public static KubernetesClient bootstrapClient(Config config) {
    return KubeClients.fromConfig(config, ClusterSettings.defaults(Path.of("bootstrap"), "bootstrap", "-"));
  }

  private Optional<KubernetesClient> currentClient() {
    return loops().map(ClusterLoops::client);
  }

  /** The API client in use now (it is replaced when the credentials change): get it per use. */
  public Optional<KubernetesClient> client() {
    return currentClient();
  }

  /** When the client certificate in use expires; empty without one. */
  public Optional<Instant> certificateNotAfter() {
    return credentialLoop == null ? Optional.empty() : credentialLoop.certificate().map(ClientCertificate::notAfter);
  }

  /**
   * What is wrong with the credentials, if anything: cannot be read or obtained, expired, not
   * renewable, or refused by the API server (401).
   */
  public Optional<String> credentialProblem() {
    Optional<String> refused = health.unauthorizedError().map(m -> "the API server refuses our credentials: " + m);
    if (refused.isPresent()) {
      return refused;
    }
    return credentialLoop == null ? Optional.empty() : credentialLoop.problem();
  }

  /** Whether the API client is built and its loops run (false while connecting or bootstrapping). */
  public synchronized boolean connected() {
    return loops != null;
  }

  /** Replaces the loops with ones on a new client; the old ones are stopped first (nothing is deleted). */
  private void swap(KubernetesClient client) {
    ClusterLoops built = new ClusterLoops(settings, dependenciesFor(client), health, store, localPods, runtimeVersion,
        clock, threads, events);
    ClusterLoops old;
    synchronized (this) {
      if (closed) {
        built.close();
        return;
      }
      old = loops;
      loops = built;
    }
    if (old != null) {
      old.close();
    }
    log.info("{} cluster node={} server={} registerNode={} version={}", old == null ? "joining" : "reconnected to",
        settings.nodeName(), built.server(), settings.registerNode(), NodeFactory.KUBELET_VERSION);
    built.start();
  }

  private ClusterLoops.Dependencies dependenciesFor(KubernetesClient client) {
    ClusterLoops.Dependencies template = dependencies == null ? null : dependencies.get();
    if (template != null) {
      return new ClusterLoops.Dependencies(client, true, template.nodeNameFieldSelector(), template.host(),
          template.scheduler(), template.limiter(), template.mirrorSettings());
    }
    return defaultDependencies(client, settings);
  }

  /** The real collaborators of the loops on {@code client}. */
  private static ClusterLoops.Dependencies defaultDependencies(KubernetesClient client, ClusterSettings settings) {
    return new ClusterLoops.Dependencies(client, true, true, HostInfo.detect(), null,
        new ApiRateLimiter(settings.qps(), settings.burst(), System::nanoTime), MirrorSettings.defaults());
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
    if (credentialLoop != null) {
      credentialLoop.start();
    } else {
      threads.newThread(this::connect).start();
    }
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
    if (credentialLoop != null) {
      credentialLoop.close();
    }
    if (toClose != null) {
      toClose.close();
    }
    log.info("left cluster loops node={} (pods and mirrors left as they are)", settings.nodeName());
  }
}
