package io.staticlet.app;

import io.staticlet.app.config.AgentConfig;
import io.staticlet.app.http.AgentHttpServer;
import io.staticlet.app.http.AgentHttpServer.Response;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The healthz port ({@code --healthz-port}), bound as soon as the configuration is read and the
 * root directory locked, before the engine client and the agent are built, so {@code /healthz}
 * answers within the first half second of the process (docs/performance.md). Until the agent plugs
 * in its checks ({@link #serve}) {@code /healthz} says ok, as the kubelet's does while it starts,
 * and {@code /healthz/cluster} says the cluster is not connected yet. Own threads: clients of the
 * read-only port never starve it.
 */
final class HealthzPort implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HealthzPort.class);

  private final ExecutorService executor =
      Executors.newFixedThreadPool(2, NamedThreads.numbered("http-healthz"));
  private final AgentHttpServer server;
  private volatile Supplier<Response> healthz = () -> Response.text(200, "ok");
  private volatile Supplier<Response> cluster;

  private HealthzPort(AgentConfig config) throws IOException {
    this.cluster =
        config.clusterMode()
            ? () -> Response.text(500, "cluster unhealthy: not connected yet (starting)\n")
            : () -> Response.text(200, "ok (standalone)\n");
    try {
      this.server =
          new AgentHttpServer(
              config.healthzBindAddress(),
              config.healthzPort(),
              Map.of("/healthz", () -> healthz.get(), "/healthz/cluster", () -> cluster.get()),
              executor);
    } catch (IOException | RuntimeException e) {
      executor.shutdownNow();
      throw e;
    }
    server.start();
    log.info(
        "healthz listening address={}:{} sinceJvmStart={}ms",
        config.healthzBindAddress(),
        server.port(),
        Agent.sinceJvmStartMillis());
  }

  /** Binds the port; null when {@code --healthz-port} is 0 (off). */
  static HealthzPort bind(AgentConfig config) throws IOException {
    return config.healthzPort() > 0 ? new HealthzPort(config) : null;
  }

  /** From now on the agent's own checks answer. */
  void serve(Supplier<Response> healthz, Supplier<Response> cluster) {
    this.healthz = healthz;
    this.cluster = cluster;
  }

  int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
    executor.shutdownNow();
  }
}
