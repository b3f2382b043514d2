package io.staticlet.app.kubeletapi.streaming;

import static io.staticlet.app.kubeletapi.streaming.Frames.assertReplies;
import static io.staticlet.app.kubeletapi.streaming.Frames.data;
import static io.staticlet.app.kubeletapi.streaming.Frames.fin;
import static io.staticlet.app.kubeletapi.streaming.Frames.stream;
import static io.staticlet.app.kubeletapi.streaming.Frames.syn;
import static io.staticlet.app.kubeletapi.streaming.Frames.written;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.staticlet.core.runtime.RuntimeUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PortForwardSessionTest {
  private final EmbeddedChannel ch = new EmbeddedChannel();
  private final List<FakeProcess> connections = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();

  @BeforeEach
  void install() {
    PortForwardSession session =
        new PortForwardSession(
            ch,
            (port, out) -> {
              ports.add(port);
              FakeProcess p = new FakeProcess(out);
              connections.add(p);
              return p;
            },
            Runnable::run,
            "web-node1, uid u1",
            Duration.ofSeconds(30));
    ch.pipeline().addLast(new SpdySession(session));
  }

  private void open(int errorId, String requestId, String port) {
    ch.writeInbound(
        syn(errorId, "streamtype", "error", "port", port, "requestid", requestId),
        syn(errorId + 2, "streamtype", "data", "port", port, "requestid", requestId));
  }

  @Test
  void twoConcurrentConnectionsOnOneForwardEachGetTheirOwnConnectionIntoThePod() {
    open(1, "0", "8080");
    open(5, "1", "8080");
    assertEquals(List.of(8080, 8080), ports);
    assertReplies(written(ch), 1, 3, 5, 7);

    ch.writeInbound(data(3, "GET a"), data(7, "GET b"), fin(7));
    assertEquals(List.of("stdin:GET a"), connections.get(0).calls);
    assertEquals(List.of("stdin:GET b", "close-stdin"), connections.get(1).calls);

    connections.get(1).output.stdout("B".getBytes(StandardCharsets.UTF_8));
    connections.get(1).exitWith(0);
    connections.get(0).output.stdout("A".getBytes(StandardCharsets.UTF_8));
    List<SpdyFrame> frames = written(ch);
    assertEquals(new Frames.StreamOut("B", true), stream(frames, 7));
    assertEquals(new Frames.StreamOut("", true), stream(frames, 5));
    assertEquals(new Frames.StreamOut("A", false), stream(frames, 3));
    assertTrue(ch.isOpen(), "the forward stays for further connections");
  }

  @Test
  void aFailedConnectionIsReportedAsTextOnItsErrorStream() {
    open(1, "0", "9");
    connections.get(0).fail(new RuntimeUnavailableException("Connection refused"));
    List<SpdyFrame> frames = written(ch);
    assertEquals(
        new Frames.StreamOut(
            "error forwarding port 9 to pod web-node1, uid u1: Connection refused", true),
        stream(frames, 1));
    assertEquals(new Frames.StreamOut("", true), stream(frames, 3));
  }

  @Test
  void anInvalidPortIsRefusedWithoutConnecting() {
    open(1, "0", "http");
    assertTrue(ports.isEmpty());
    assertEquals(new Frames.StreamOut("invalid port http", true), stream(written(ch), 1));
  }

  @Test
  void aLonelyErrorStreamTimesOut() {
    ch.writeInbound(syn(1, "streamtype", "error", "port", "80", "requestid", "0"));
    ch.advanceTimeBy(31, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertEquals(
        new Frames.StreamOut("timed out waiting for the second stream", true),
        stream(written(ch), 1));
    assertTrue(ports.isEmpty());
  }

  @Test
  void closingTheForwardClosesEveryConnection() {
    open(1, "0", "80");
    open(5, "1", "80");
    ch.close();
    assertEquals(List.of("close"), connections.get(0).calls);
    assertEquals(List.of("close"), connections.get(1).calls);
  }
}
