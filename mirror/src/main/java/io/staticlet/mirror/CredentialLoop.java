package io.staticlet.mirror;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.staticlet.core.time.Scheduler;
import io.staticlet.mirror.credentials.ClientCertificate;
import io.staticlet.mirror.credentials.CredentialsException;
import io.staticlet.mirror.credentials.NodeCredentials;
import io.staticlet.mirror.credentials.RotationDeadline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the cluster connection's credentials current, every step on one scheduler thread (so
 * connecting, renewing and re-reading never race): connect (retried with back-off: 1 s doubling to
 * 5 min, when the kubeconfig is absent, unparsable or names a certificate not written yet), renew
 * the client certificate at its jittered rotation deadline (70–90 % of its lifetime) with a CSR
 * made with the current credentials, re-read the kubeconfig and the files it names every {@link
 * #DISK_CHECK} and switch when they changed (kubeadm's kubelet-finalize rewrites kubelet.conf),
 * and, when the certificate expired without renewal, bootstrap again if a bootstrap kubeconfig is
 * given. Every switch builds a new API client and hands it to {@code swap}, which replaces the
 * cluster loops; the pods and the agent's core state are not touched.
 *
 * <p>Concurrency contract: every step (connect, renew, disk check, and {@code swap}, which builds
 * and starts the new loops) runs on the one thread of its own scheduler and may block: reading and
 * writing the kubeconfig and certificate files, a CSR that waits for approval (bounded by {@link
 * io.staticlet.mirror.credentials.CsrClient.Pacing}), API calls. The retry delays and the rotation
 * handle belong to that thread. {@link #certificate()} and {@link #problem()} read volatile fields
 * and may be called from any thread; {@link #close()} stops the scheduler.
 */
final class CredentialLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CredentialLoop.class);
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofMinutes(5);
  static final Duration FIRST_RENEW_RETRY = Duration.ofSeconds(2);
  static final Duration DISK_CHECK = Duration.ofSeconds(10);

  private final NodeCredentials credentials;
  private final Scheduler scheduler;
  private final Clock clock;
  private final DoubleSupplier random;
  private final Consumer<KubernetesClient> swap;
  private final Supplier<Optional<KubernetesClient>> currentClient;
  private final ApiHealth health;
  private final Function<Config, KubernetesClient> clients;

  private volatile NodeCredentials.Active active;
  private volatile String problem;
  private Duration connectRetry = FIRST_RETRY; // scheduler thread only
  private Duration renewRetry = FIRST_RENEW_RETRY; // scheduler thread only
  private Scheduler.Cancellable rotation; // scheduler thread only
  private Scheduler.Cancellable diskCheck;
  private volatile boolean closed;

  CredentialLoop(
      NodeCredentials credentials,
      Scheduler scheduler,
      Clock clock,
      DoubleSupplier random,
      Consumer<KubernetesClient> swap,
      Supplier<Optional<KubernetesClient>> currentClient,
      ApiHealth health,
      Function<Config, KubernetesClient> clients) {
    this.credentials = credentials;
    this.scheduler = scheduler;
    this.clock = clock;
    this.random = random;
    this.swap = swap;
    this.currentClient = currentClient;
    this.health = health;
    this.clients = clients;
  }

  void start() {
    scheduler.schedule(Duration.ZERO, this::connect);
    diskCheck = scheduler.scheduleAtFixedRate(DISK_CHECK, this::checkDisk);
  }

  Optional<ClientCertificate> certificate() {
    NodeCredentials.Active a = active;
    return a == null ? Optional.empty() : a.certificate();
  }

  Optional<String> problem() {
    String p = problem;
    if (p != null) {
      return Optional.of(p);
    }
    return certificate()
        .filter(c -> c.expiredAt(clock.instant()))
        .map(c -> "the client certificate (" + c.subject() + ") expired at " + c.notAfter());
  }

  private void connect() {
    if (closed) {
      return;
    }
    try {
      use(credentials.obtain(), "connected");
      connectRetry = FIRST_RETRY;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      fail("cannot connect to the cluster", e);
      log.warn(
          "cannot connect to the cluster, retrying retryIn={}s error=\"{}\"",
          connectRetry.toSeconds(),
          e.getMessage());
      scheduler.schedule(connectRetry, this::connect);
      connectRetry = min(connectRetry.multipliedBy(2), MAX_RETRY);
    }
  }

  private void use(NodeCredentials.Active next, String why) {
    KubernetesClient client = clients.apply(next.config());
    active = next;
    problem = null;
    swap.accept(client);
    next.certificate()
        .ifPresent(
            c ->
                log.info(
                    "{}: client certificate subject=\"{}\" notAfter={} expiresIn={}s",
                    why,
                    c.subject(),
                    c.notAfter(),
                    Duration.between(clock.instant(), c.notAfter()).toSeconds()));
    scheduleRotation(next);
  }

  private void scheduleRotation(NodeCredentials.Active next) {
    if (rotation != null) {
      rotation.cancel();
      rotation = null;
    }
    if (!next.renewable() || next.certificate().isEmpty()) {
      return;
    }
    Instant deadline = RotationDeadline.of(next.certificate().get(), random);
    Duration delay = Duration.between(clock.instant(), deadline);
    if (delay.isNegative()) {
      delay = Duration.ZERO;
    }
    log.info(
        "client certificate rotation scheduled deadline={} in={}s notAfter={}",
        deadline,
        delay.toSeconds(),
        next.certificate().get().notAfter());
    rotation = scheduler.schedule(delay, this::renew);
  }

  private void renew() {
    rotation = null;
    if (closed) {
      return;
    }
    NodeCredentials.Active current = active;
    Optional<KubernetesClient> client = currentClient.get();
    boolean expired =
        current != null
            && current.certificate().map(c -> c.expiredAt(clock.instant())).orElse(false);
    try {
      if (expired && credentials.settings().bootstrapKubeconfig() != null) {
        log.warn(
            "client certificate expired without renewal, bootstrapping again bootstrapKubeconfig={}",
            credentials.settings().bootstrapKubeconfig());
        use(credentials.bootstrap(), "bootstrapped again");
      } else if (client.isEmpty()) {
        throw new CredentialsException("no API client to renew the certificate with");
      } else {
        log.info(
            "renewing the client certificate notAfter={}",
            current == null
                ? "?"
                : current.certificate().map(ClientCertificate::notAfter).orElse(null));
        use(credentials.renew(client.get()), "certificate rotated");
      }
      renewRetry = FIRST_RENEW_RETRY;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      String expiry =
          current == null
              ? ""
              : current.certificate().map(c -> " notAfter=" + c.notAfter()).orElse("");
      fail("cannot renew the client certificate", e);
      log.error(
          "cannot renew the client certificate, retrying retryIn={}s{} error=\"{}\"",
          renewRetry.toSeconds(),
          expiry,
          e.getMessage());
      rotation = scheduler.schedule(renewRetry, this::renew);
      renewRetry = min(renewRetry.multipliedBy(2), MAX_RETRY);
    }
  }

  private void checkDisk() {
    NodeCredentials.Active current = active;
    if (closed || current == null || !credentials.changedOnDisk(current)) {
      return;
    }
    try {
      NodeCredentials.Active next = credentials.obtain();
      if (next.fingerprint().equals(current.fingerprint()) && sameCertificate(next, current)) {
        active = next;
        return;
      }
      log.info(
          "kubeconfig or its certificate files changed on disk, switching the API client kubeconfig={}",
          credentials.settings().kubeconfig());
      use(next, "credentials reloaded");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      fail("the changed kubeconfig cannot be used (the current connection stays)", e);
      log.warn(
          "the kubeconfig changed on disk but cannot be used, keeping the current connection kubeconfig={} error=\"{}\"",
          credentials.settings().kubeconfig(),
          e.getMessage());
    }
  }

  private static boolean sameCertificate(NodeCredentials.Active a, NodeCredentials.Active b) {
    return a.certificate()
        .map(ClientCertificate::certificatePem)
        .equals(b.certificate().map(ClientCertificate::certificatePem));
  }

  private void fail(String what, RuntimeException e) {
    problem = what + ": " + e.getMessage();
    health.failed("credentials", problem);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public void close() {
    closed = true;
    if (diskCheck != null) {
      diskCheck.cancel();
    }
    if (scheduler instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        log.debug("closing the credential scheduler", e);
      }
    }
  }
}
