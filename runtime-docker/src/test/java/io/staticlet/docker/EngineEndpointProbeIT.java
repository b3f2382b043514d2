package io.staticlet.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineEndpointProbeIT {
  @TempDir Path dir;

  @Test
  void theRealDockerEngineIsDocker() {
    EngineEndpointProbe.Result r = EngineEndpointProbe.probe("unix:///var/run/docker.sock", Duration.ofSeconds(10));
    assertEquals(EngineEndpointProbe.Verdict.DOCKER, r.verdict(), r.detail());
  }

  @Test
  void aSocketThatHangsUpOnHttp1IsNotDocker() throws IOException {
    // containerd's gRPC server closes a connection that does not start with the HTTP/2 preface
    Path socket = dir.resolve("containerd.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Thread acceptor = new Thread(() -> {
        try (SocketChannel c = server.accept()) {
          c.shutdownOutput();
        } catch (IOException ignored) {
          // closed at the end of the test
        }
      });
      acceptor.start();
      EngineEndpointProbe.Result r = EngineEndpointProbe.probe("unix://" + socket, Duration.ofSeconds(10));
      assertEquals(EngineEndpointProbe.Verdict.NOT_DOCKER, r.verdict(), r.detail());
    }
  }

  @Test
  void aMissingSocketIsUnreachableNotWrong() {
    EngineEndpointProbe.Result r = EngineEndpointProbe.probe("unix://" + dir.resolve("none.sock"), Duration.ofSeconds(5));
    assertEquals(EngineEndpointProbe.Verdict.UNREACHABLE, r.verdict(), r.detail());
  }

  @Test
  void anHttpServerThatIsNotDockerIsNamedAsSuch() {
    EngineEndpointProbe.Result r = EngineEndpointProbe.judge("HTTP/1.1 404 Not Found\r\n\r\n".getBytes());
    assertEquals(EngineEndpointProbe.Verdict.NOT_DOCKER, r.verdict());
    assertTrue(r.detail().contains("404"), r.detail());
  }
}
