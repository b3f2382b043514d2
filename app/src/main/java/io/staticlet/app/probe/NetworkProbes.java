package io.staticlet.app.probe;

import io.staticlet.core.probe.NetworkProber;
import io.staticlet.core.probe.ProbeAction;
import io.staticlet.core.probe.ProbeResult;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * core's {@link NetworkProber} port: httpGet, tcpSocket and grpc, each in its own class.
 * Thread-safe.
 */
public final class NetworkProbes implements NetworkProber, AutoCloseable {
  private final HttpGetProber http;
  private final TcpProber tcp = new TcpProber();
  private final GrpcHealthProber grpc = new GrpcHealthProber();

  /**
   * @param httpClientExecutor for the JDK HTTP client's internal hand-offs (not the blocking probe
   *     calls)
   */
  public NetworkProbes(Executor httpClientExecutor) {
    this.http = new HttpGetProber(httpClientExecutor);
  }

  @Override
  public ProbeResult httpGet(ProbeAction.HttpGet action, String host, Duration timeout) {
    return http.probe(action, host, timeout);
  }

  @Override
  public ProbeResult tcpSocket(String host, int port, Duration timeout) {
    return tcp.probe(host, port, timeout);
  }

  @Override
  public ProbeResult grpc(String host, int port, String service, Duration timeout) {
    return grpc.check(host, port, service, timeout);
  }

  HttpGetProber http() {
    return http;
  }

  @Override
  public void close() {
    grpc.close();
  }
}
