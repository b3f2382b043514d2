package io.staticlet.app.probe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.probe.ProbeResult;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpProberTest {
  private final TcpProber prober = new TcpProber();

  @Test
  void succeedsWhenAConnectionOpens() throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      assertTrue(
          prober.probe("127.0.0.1", server.getLocalPort(), Duration.ofSeconds(1)).succeeded());
    }
  }

  @Test
  void failsWhenNothingListens() throws Exception {
    int port;
    try (ServerSocket server = new ServerSocket(0)) {
      port = server.getLocalPort();
    }

    ProbeResult result = prober.probe("127.0.0.1", port, Duration.ofSeconds(1));

    assertFalse(result.succeeded());
    assertTrue(result.message().startsWith("dial tcp 127.0.0.1:" + port + ": "), result.message());
  }
}
