package io.staticlet.core.probe;

import java.time.Duration;

/**
 * Probes over the network (port; implemented in {@code app}, since core knows no HTTP client).
 * Implementations must be thread-safe, must return within about {@code timeout}, and report every
 * failure (refused, timed out, bad status) as a failed {@link ProbeResult} rather than throwing.
 */
public interface NetworkProber {
  /**
   * {@code GET} on {@code host} (the probe's host, or the pod's IP when it names none): 2xx and 3xx
   * are success; redirects are followed up to 10 times while they stay on the same host, a redirect
   * elsewhere counts as success with a warning (the kubelet's rules).
   */
  ProbeResult httpGet(ProbeAction.HttpGet action, String host, Duration timeout);

  /** Success when a TCP connection to {@code host:port} opens within {@code timeout}. */
  ProbeResult tcpSocket(String host, int port, Duration timeout);

  /**
   * {@code grpc.health.v1.Health/Check} for {@code service} over HTTP/2 cleartext; success when the
   * call ends with {@code grpc-status: 0} and the status is {@code SERVING}.
   */
  ProbeResult grpc(String host, int port, String service, Duration timeout);
}
