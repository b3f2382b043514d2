package io.staticlet.mirror;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.staticlet.core.mirror.MirrorSync;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.time.Scheduler;
import io.staticlet.core.time.ThreadPoolScheduler;
import io.staticlet.mirror.credentials.ClientCertificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that makes this node part of a cluster, behind one constructor and one start/close:
 * the {@link CredentialLoop} obtains, rotates and re-reads the API credentials and hands each new
 * API client to {@link #swap}, which replaces the {@link ClusterLoops} built on it (Node
 * registration and status, the Lease, the mirror loop, events). {@link #start()} returns at once
 * and everything retries in the background while the API server or the credentials are away. {@link
 * #close()} stops the loops and informers and deletes nothing: the pods keep running, and their
 * mirrors stay.
 *
 * <p>Concurrency contract: every method may be called from any thread and none blocks on the
 * network (the read-outs are for {@code /healthz}, metrics and the kubelet API's webhooks). The
 * current loops are guarded by this object's monitor; they are swapped only on the credential
 * loop's thread. {@link ApiHealth} is this object's and outlives each set of loops.
 */
public final class ClusterAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterAgent.class);

  private final ClusterWiring wiring;
  private final ApiHealth health;
  private final CredentialLoop credentialLoop;
  private ClusterLoops loops; // guarded by this
  private boolean started; // guarded by this
  private boolean closed; // guarded by this

  /** Builds nothing yet: {@link #start()} does, in the background. */
  public ClusterAgent(ClusterWiring wiring) {
    this.wiring = wiring;
    this.health = new ApiHealth(wiring.clock(), wiring.apiCalls());
    ClusterWiring.Collaborators with = wiring.collaborators();
    Scheduler steps =
        with.credentialSteps() != null
            ? with.credentialSteps()
            : new ThreadPoolScheduler(1, wiring.threads());
    Function<Config, KubernetesClient> clients =
        with.clients() != null
            ? with.clients()
            : config -> KubeClients.fromConfig(config, wiring.settings().api());
    this.credentialLoop =
        new CredentialLoop(
            wiring.credentials(),
            steps,
            wiring.clock(),
            with.random(),
            this::swap,
            this::currentClient,
            health,
            clients);
  }

  /**
   * A client for TLS bootstrap (the bootstrap kubeconfig's credentials), tuned like the agent's.
   */
  public static KubernetesClient bootstrapClient(Config config) {
    return KubeClients.fromConfig(config, ClusterSettings.ApiBudget.DEFAULT);
  }

  /** Starts the credential loop, which connects and starts the cluster loops; returns at once. */
  public synchronized void start() {
    if (started || closed) {
      return;
    }
    started = true;
    credentialLoop.start();
  }

  /**
   * Replaces the loops with ones on a new client; the old ones are stopped first (nothing is
   * deleted).
   */
  private void swap(KubernetesClient client) {
    ClusterLoops built = new ClusterLoops(wiring, client, health);
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
    log.info(
        "{} cluster node={} server={} registerNode={} version={}",
        old == null ? "joining" : "reconnected to",
        wiring.settings().nodeName(),
        built.server(),
        wiring.settings().registration().registerNode(),
        NodeFactory.KUBELET_VERSION);
    built.start();
  }

  /** The API health shared by every set of loops (tests). */
  ApiHealth apiHealth() {
    return health;
  }

  private synchronized Optional<ClusterLoops> loops() {
    return Optional.ofNullable(loops);
  }

  private Optional<KubernetesClient> currentClient() {
    return loops().map(ClusterLoops::client);
  }

  /** When the client certificate in use expires; empty without one. */
  public Optional<Instant> certificateNotAfter() {
    return credentialLoop.certificate().map(ClientCertificate::notAfter);
  }

  /** Seconds until the client certificate in use expires; NaN without one (a metric). */
  public double certificateExpirySeconds() {
    return certificateNotAfter()
        .map(t -> (double) Duration.between(wiring.clock().instant(), t).toMillis() / 1000.0)
        .orElse(Double.NaN);
  }

  /**
   * What is wrong with the credentials, if anything: cannot be read or obtained, expired, not
   * renewable, or refused by the API server (401, or 403 as {@code system:anonymous}). Does not
   * heal by waiting.
   */
  public Optional<String> credentialProblem() {
    Optional<String> refused =
        health.unauthorizedError().map(m -> "the API server refuses our credentials: " + m);
    return refused.isPresent() ? refused : credentialLoop.problem();
  }

  /**
   * Why this node is not a working member of the cluster; empty while connected, the Node
   * registered and the credentials accepted.
   */
  public Optional<String> problem() {
    Optional<String> credentials = credentialProblem();
    if (credentials.isPresent()) {
      return credentials;
    }
    if (healthy()) {
      return Optional.empty();
    }
    if (!connected()) {
      return Optional.of("not connected yet");
    }
    return Optional.of(lastError().orElse("node not registered yet"));
  }

  /** Whether an API client is built and its loops run (false while connecting or bootstrapping). */
  public synchronized boolean connected() {
    return loops != null;
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
    return loops().flatMap(ClusterLoops::nodeUid);
  }

  /**
   * A mirror worker stuck on one pod for longer than {@code max}, or dead, for {@code /healthz}.
   */
  public Optional<String> mirrorStuck(Duration max) {
    return loops().flatMap(l -> l.mirrorSync().stuck(max));
  }

  /**
   * Why the mirror of {@code key} could not be written ("" when fine), owned by the mirror loop.
   */
  public String mirrorError(PodKey key) {
    return mirrorSync().map(sync -> sync.mirrorError(key)).orElse("");
  }

  /** The mirror loop of the current client, once connected. */
  Optional<MirrorSync> mirrorSync() {
    return loops().map(ClusterLoops::mirrorSync);
  }

  /** TokenReviews and SubjectAccessReviews on the API client current at each call. */
  public AccessReviewClient accessReviews() {
    return new AccessReviewClient(this::currentClient);
  }

  /** Events taken from the buffer but not yet written to the API server. */
  public int eventsPending() {
    return loops().map(ClusterLoops::eventsPending).orElse(0);
  }

  /** Stops the credential loop, the loops and informers. Deletes nothing. */
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
    credentialLoop.close();
    if (toClose != null) {
      toClose.close();
    }
    log.info(
        "left cluster loops node={} (pods and mirrors left as they are)",
        wiring.settings().nodeName());
  }
}
