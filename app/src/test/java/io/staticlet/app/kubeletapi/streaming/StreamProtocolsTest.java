package io.staticlet.app.kubeletapi.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamProtocolsTest {
  @Test
  void theClientsFirstSupportedProtocolWins() {
    assertEquals(
        Optional.of(StreamProtocols.V4),
        StreamProtocols.negotiate(
            List.of("v5.channel.k8s.io", "v4.channel.k8s.io", "v3.channel.k8s.io"),
            StreamProtocols.REMOTE_COMMAND));
    assertEquals(
        Optional.of(StreamProtocols.V3),
        StreamProtocols.negotiate(
            List.of("v5.channel.k8s.io, v3.channel.k8s.io,v4.channel.k8s.io"),
            StreamProtocols.REMOTE_COMMAND));
  }

  @Test
  void noHeaderIsTheLegacyProtocolAndNoMatchIsNothing() {
    assertEquals(
        Optional.of(""), StreamProtocols.negotiate(List.of(), StreamProtocols.REMOTE_COMMAND));
    assertEquals(
        Optional.empty(),
        StreamProtocols.negotiate(List.of("v5.channel.k8s.io"), StreamProtocols.REMOTE_COMMAND));
    assertEquals(
        Optional.empty(),
        StreamProtocols.negotiate(List.of("v4.channel.k8s.io"), StreamProtocols.PORT_FORWARDING));
  }

  @Test
  void pathsWithAndWithoutUid() {
    assertEquals(
        Optional.of(new StreamingPath(StreamingPath.Kind.EXEC, "ns", "p", "", "c")),
        StreamingPath.parse("/exec/ns/p/c"));
    assertEquals(
        Optional.of(new StreamingPath(StreamingPath.Kind.ATTACH, "ns", "p", "u", "c")),
        StreamingPath.parse("/attach/ns/p/u/c"));
    assertEquals(
        Optional.of(new StreamingPath(StreamingPath.Kind.PORT_FORWARD, "ns", "p", "", "")),
        StreamingPath.parse("/portForward/ns/p"));
    assertEquals(Optional.empty(), StreamingPath.parse("/exec/ns/p"));
    assertEquals(Optional.empty(), StreamingPath.parse("/exec/ns//c"));
  }
}
