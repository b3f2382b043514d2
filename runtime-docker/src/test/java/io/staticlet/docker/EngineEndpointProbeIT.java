package io.staticlet.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.testing.HangUpSocket;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineEndpointProbeIT {
  @TempDir Path dir;

  @Test
  void theRealDockerEngineIsDocker() {
    EngineEndpointProbe.Result r =
        EngineEndpointProbe.probe("unix:///var/run/docker.sock", Duration.ofSeconds(10));
    assertEquals(EngineEndpointProbe.Verdict.DOCKER, r.verdict(), r.detail());
  }

  @Test
  void aSocketThatHangsUpOnHttp1IsNotDocker() throws IOException {
    try (HangUpSocket containerd = new HangUpSocket(dir.resolve("containerd.sock"))) {
      EngineEndpointProbe.Result r =
          EngineEndpointProbe.probe(containerd.endpoint(), Duration.ofSeconds(10));
      assertEquals(EngineEndpointProbe.Verdict.NOT_DOCKER, r.verdict(), r.detail());
    }
  }

  @Test
  void aMissingSocketIsUnreachableNotWrong() {
    EngineEndpointProbe.Result r =
        EngineEndpointProbe.probe("unix://" + dir.resolve("none.sock"), Duration.ofSeconds(5));
    assertEquals(EngineEndpointProbe.Verdict.UNREACHABLE, r.verdict(), r.detail());
  }

  @Test
  void aSilentEndpointIsUnreachableNotWrong() throws IOException {
    // a stuck engine must not make the agent exit (DECISIONS.md 26)
    try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      silent.bind(UnixDomainSocketAddress.of(dir.resolve("stuck.sock")));
      EngineEndpointProbe.Result r =
          EngineEndpointProbe.probe("unix://" + dir.resolve("stuck.sock"), Duration.ofMillis(500));
      assertEquals(EngineEndpointProbe.Verdict.UNREACHABLE, r.verdict(), r.detail());
    }
  }

  @Test
  void anHttpServerThatIsNotDockerIsNamedAsSuch() {
    EngineEndpointProbe.Result r =
        EngineEndpointProbe.judge("HTTP/1.1 404 Not Found\r\n\r\n".getBytes());
    assertEquals(EngineEndpointProbe.Verdict.NOT_DOCKER, r.verdict());
    assertTrue(r.detail().contains("404"), r.detail());
  }
}
