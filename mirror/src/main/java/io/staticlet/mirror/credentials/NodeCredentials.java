package io.staticlet.mirror.credentials;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the node's API credentials, as the kubelet's {@code bootstrap.LoadClientCert}
 * and certificate manager decide them:
 *
 * <ul>
 *   <li>{@code --kubeconfig} usable (it parses, names a server, its client certificate is readable
 *       and not expired): used. With {@code rotateCertificates} the client certificate actually
 *       used is the newer (by {@code notBefore}) of the kubeconfig's and {@code
 *       <cert-dir>/kubelet-client-current.pem}; a kubeconfig certificate newer than the store (an
 *       embedded one at first start, or files replaced on disk) is written into the store first,
 *       which is what kubeadm's kubelet-finalize looks for.
 *   <li>otherwise, with {@code --bootstrap-kubeconfig}: a valid stored certificate, or else a new
 *       key and a CSR sent with the bootstrap credentials; then the kubeconfig is written pointing
 *       at {@code kubelet-client-current.pem}.
 *   <li>otherwise: a {@link CredentialsException} naming the file and the reason (the caller
 *       retries).
 * </ul>
 *
 * Calls block (a CSR waits for approval); they are made from one thread at a time.
 */
public final class NodeCredentials {
  private static final Logger log = LoggerFactory.getLogger(NodeCredentials.class);

  /**
   * @param bootstrapKubeconfig {@code --bootstrap-kubeconfig}, or null
   * @param certDir {@code --cert-dir} ({@code <root-dir>/pki} by default)
   * @param rotate {@code rotateCertificates}
   */
  public record Settings(
      Path kubeconfig, Path bootstrapKubeconfig, Path certDir, boolean rotate, String nodeName) {
    public Settings {
      Objects.requireNonNull(kubeconfig, "kubeconfig");
      Objects.requireNonNull(certDir, "certDir");
      Objects.requireNonNull(nodeName, "nodeName");
    }
  }

  /**
   * The credentials to connect with.
   *
   * @param certificate the client certificate in use; empty for token authentication
   * @param fingerprint of the kubeconfig and the files it names when this was decided
   * @param renewable a CSR with these credentials may renew the certificate
   */
  public record Active(
      Config config,
      Optional<ClientCertificate> certificate,
      String fingerprint,
      boolean renewable) {}

  private final Settings settings;
  private final Clock clock;
  private final Function<Config, KubernetesClient> clients;
  private final CsrClient.Pacing pacing;
  private final CertificateFiles files;

  /**
   * @param clients builds an API client from a Config (closed by the caller)
   */
  public NodeCredentials(
      Settings settings,
      Clock clock,
      Function<Config, KubernetesClient> clients,
      CsrClient.Pacing pacing) {
    this.settings = settings;
    this.clock = clock;
    this.clients = clients;
    this.pacing = pacing;
    this.files = new CertificateFiles(settings.certDir());
  }

  public Settings settings() {
    return settings;
  }

  /**
   * The credentials to use now; may run TLS bootstrap (blocks until the CSR is issued or refused).
   */
  public Active obtain() throws InterruptedException {
    CredentialsException problem;
    try {
      NodeKubeconfig kubeconfig = NodeKubeconfig.read(settings.kubeconfig());
      Optional<ClientCertificate> own = kubeconfig.certificate();
      if (own.isPresent()
          && own.get().expiredAt(clock.instant())
          && !(settings.rotate() && storedValid().isPresent())) {
        throw new CredentialsException(
            "kubeconfig "
                + settings.kubeconfig()
                + ": the client certificate ("
                + own.get().subject()
                + ") expired at "
                + own.get().notAfter());
      }
      return activate(kubeconfig);
    } catch (CredentialsException e) {
      problem = e;
    }
    if (settings.bootstrapKubeconfig() == null) {
      throw problem;
    }
    log.info(
        "kubeconfig not usable, using the bootstrap kubeconfig kubeconfig={} reason=\"{}\" bootstrapKubeconfig={}",
        settings.kubeconfig(),
        problem.getMessage(),
        settings.bootstrapKubeconfig());
    return bootstrap();
  }

  /**
   * TLS bootstrap: a valid stored certificate, or a new one through a CSR with the bootstrap
   * credentials; then the kubeconfig is written pointing at it.
   */
  public Active bootstrap() throws InterruptedException {
    NodeKubeconfig bootstrap = NodeKubeconfig.read(settings.bootstrapKubeconfig());
    Optional<ClientCertificate> stored = storedValid();
    if (stored.isEmpty()) {
      try (KubernetesClient client = clients.apply(bootstrap.config())) {
        ClientCertificate issued =
            new CsrClient(client, clock, pacing).request(NodeCsr.generate(settings.nodeName()));
        Path file = files.store(issued, clock.instant());
        log.info(
            "client certificate stored file={} current={} notAfter={}",
            file,
            files.currentPath(),
            issued.notAfter());
      }
    }
    KubeconfigWriter.write(settings.kubeconfig(), bootstrap.config(), files.currentPath());
    log.info(
        "kubeconfig written kubeconfig={} clientCertificate={}",
        settings.kubeconfig(),
        files.currentPath());
    return activate(NodeKubeconfig.read(settings.kubeconfig()));
  }

  /**
   * A new certificate through a CSR made with {@code current} (the agent's client, authenticated
   * with the certificate being renewed), stored as the current one; returns the credentials to
   * switch to.
   */
  public Active renew(KubernetesClient current) throws InterruptedException {
    ClientCertificate issued =
        new CsrClient(current, clock, pacing).request(NodeCsr.generate(settings.nodeName()));
    Path file = files.store(issued, clock.instant());
    log.info(
        "client certificate renewed file={} notBefore={} notAfter={}",
        file,
        issued.notBefore(),
        issued.notAfter());
    return obtain();
  }

  /**
   * Whether the kubeconfig or a file it names differs from what {@code active} was decided from.
   */
  public boolean changedOnDisk(Active active) {
    try {
      return !NodeKubeconfig.read(settings.kubeconfig()).fingerprint().equals(active.fingerprint());
    } catch (CredentialsException e) {
      return true;
    }
  }

  private Active activate(NodeKubeconfig kubeconfig) {
    Optional<ClientCertificate> own = kubeconfig.certificate();
    if (own.isEmpty() || !settings.rotate()) {
      return new Active(kubeconfig.config(), own, kubeconfig.fingerprint(), false);
    }
    Optional<ClientCertificate> stored = storedValid();
    ClientCertificate use = own.get();
    if (stored.isPresent() && !stored.get().notBefore().isBefore(own.get().notBefore())) {
      use = stored.get();
    } else if (stored.isEmpty() || !sameLeaf(stored.get(), own.get())) {
      if (!own.get().expiredAt(clock.instant())) {
        Path file = files.store(own.get(), clock.instant());
        log.info(
            "client certificate of the kubeconfig written to the certificate store kubeconfig={} file={} current={}",
            settings.kubeconfig(),
            file,
            files.currentPath());
      }
    }
    NodeKubeconfig.useCertificate(kubeconfig.config(), use);
    return new Active(kubeconfig.config(), Optional.of(use), kubeconfig.fingerprint(), true);
  }

  private Optional<ClientCertificate> storedValid() {
    try {
      return files.current().filter(c -> !c.expiredAt(clock.instant()));
    } catch (CredentialsException e) {
      log.warn("ignoring the stored client certificate: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private static boolean sameLeaf(ClientCertificate a, ClientCertificate b) {
    return Pem.blocks(a.certificatePem(), "CERTIFICATE")
        .get(0)
        .equals(Pem.blocks(b.certificatePem(), "CERTIFICATE").get(0));
  }

  /** For messages: when it expires. */
  public static String describe(ClientCertificate c, Instant now) {
    return c.subject() + " valid until " + c.notAfter() + (c.expiredAt(now) ? " (EXPIRED)" : "");
  }
}
