package io.staticlet.app.kubeletapi;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.staticlet.app.config.KubeletApiConfig;
import io.staticlet.core.time.Scheduler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authenticated kubelet API on {@code address:port}, wired from its configuration. {@link
 * #start()} never blocks on the cluster and never fails the agent: when the port is taken, or a
 * certificate file is missing, it logs an error and tries again every {@link #BIND_RETRY}, the
 * static pods run meanwhile.
 */
public final class KubeletApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KubeletApi.class);
  static final Duration BIND_RETRY = Duration.ofSeconds(10);

  private final String address;
  private final KubeletApiConfig config;
  private final String nodeName;
  private final List<String> nodeIps;
  private final Path certDir;
  private final AccessReviews reviews;
  private final KubeletApiRoutes routes;
  private final StreamingEndpoint streaming;
  private final ExecutorService workers;
  private final Scheduler scheduler;
  private final ThreadFactory threads;
  private final Clock clock;
  private volatile KubeletApiServer server;
  private volatile boolean closed;

  /**
   * @param streaming exec, attach, run and port-forward; null: 501 for them
   * @param reviews the API server's reviews (cluster mode), or null: then webhook modes were
   *     refused by the configuration already
   */
  public KubeletApi(
      KubeletApiConfig config,
      String address,
      String nodeName,
      List<String> nodeIps,
      Path certDir,
      AccessReviews reviews,
      KubeletApiRoutes routes,
      StreamingEndpoint streaming,
      ExecutorService workers,
      Scheduler scheduler,
      ThreadFactory threads,
      Clock clock) {
    this.address = address;
    this.config = config;
    this.nodeName = nodeName;
    this.nodeIps = List.copyOf(nodeIps);
    this.certDir = certDir;
    this.reviews = reviews;
    this.routes = routes;
    this.streaming = streaming == null ? new NotImplementedStreaming() : streaming;
    this.workers = workers;
    this.scheduler = scheduler;
    this.threads = threads;
    this.clock = clock;
  }

  /** What every connection shares, from the certificate files as they are now. */
  private record Listener(SslContext ssl, KubeletApiRouter.Settings router) {}

  /**
   * @throws IllegalArgumentException naming the file when a certificate, key or CA cannot be read
   *     (a missing file may still appear: kubeadm writes the CA before it starts the kubelet)
   */
  private Listener listener() {
    ServingCertificate cert =
        ServingCertificate.forServing(
            config.tlsCertFile(), config.tlsPrivateKeyFile(), certDir, nodeName, nodeIps, clock);
    ClientCaTrust ca =
        config.clientCaFile() == null ? null : new ClientCaTrust(config.clientCaFile());
    SslContext ssl;
    try {
      SslContextBuilder builder =
          SslContextBuilder.forServer(cert.key(), cert.chain()).sslProvider(SslProvider.JDK);
      if (ca != null) {
        builder.clientAuth(ClientAuth.OPTIONAL).trustManager(ca.requestOnly());
      }
      ssl = builder.build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("kubelet API TLS: " + e.getMessage(), e);
    }
    KubeletAuthenticator authenticator =
        new KubeletAuthenticator(
            ca == null ? null : ca.verifier(),
            config.webhookEnabled() ? reviews : null,
            config.anonymousEnabled(),
            config.webhookCacheTtl(),
            clock);
    KubeletAuthorizer authorizer =
        config.webhookAuthorization()
            ? KubeletAuthorizer.webhook(
                reviews, config.authorizedTtl(), config.unauthorizedTtl(), clock)
            : KubeletAuthorizer.alwaysAllow();
    return new Listener(
        ssl,
        new KubeletApiRouter.Settings(
            nodeName,
            authenticator,
            authorizer,
            config.enableDebuggingHandlers(),
            Map.copyOf(routes.exact()),
            new LinkedHashMap<>(routes.prefixes()),
            streaming,
            workers));
  }

  /** Binds now, or keeps trying in the background. */
  public void start() {
    tryBind();
  }

  private void tryBind() {
    if (closed) {
      return;
    }
    Listener listener;
    try {
      listener = listener();
    } catch (IllegalArgumentException | IllegalStateException e) {
      log.error(
          "kubelet API not started, retrying in {}s: {}", BIND_RETRY.toSeconds(), e.getMessage());
      scheduler.schedule(BIND_RETRY, this::tryBind);
      return;
    }
    try {
      KubeletApiServer bound =
          KubeletApiServer.bind(
              address,
              config.port(),
              listener.ssl(),
              () -> new KubeletApiRouter(listener.router()),
              threads);
      server = bound;
      if (closed) {
        bound.close();
        return;
      }
      log.info(
          "kubelet API listening address={}:{} authentication=x509:{},webhook:{},anonymous:{} authorization={}",
          address,
          bound.port(),
          config.clientCaFile() != null,
          config.webhookEnabled(),
          config.anonymousEnabled(),
          config.authorizationMode());
    } catch (IOException e) {
      log.error(
          "kubelet API cannot listen, retrying in {}s address={}:{} error={}",
          BIND_RETRY.toSeconds(),
          address,
          config.port(),
          e.getMessage());
      scheduler.schedule(BIND_RETRY, this::tryBind);
    }
  }

  /** The bound port, or -1 while not listening. */
  public int port() {
    KubeletApiServer s = server;
    return s == null ? -1 : s.port();
  }

  @Override
  public void close() {
    closed = true;
    KubeletApiServer s = server;
    if (s != null) {
      s.close();
    }
  }
}
