package io.staticlet.app.probe;

import io.staticlet.core.probe.ProbeResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * {@code tcpSocket} probes: success when a connection opens within the timeout; it is closed at
 * once.
 */
final class TcpProber {
  ProbeResult probe(String host, int port, Duration timeout) {
    String target = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
      return ProbeResult.success();
    } catch (SocketTimeoutException e) {
      return ProbeResult.failure(
          "dial tcp " + target + ": i/o timeout after " + timeout.toSeconds() + "s");
    } catch (IOException e) {
      return ProbeResult.failure("dial tcp " + target + ": " + e.getMessage());
    }
  }
}
