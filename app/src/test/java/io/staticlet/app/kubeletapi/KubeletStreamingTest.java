package io.staticlet.app.kubeletapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.util.ReferenceCountUtil;
import io.staticlet.app.kubeletapi.streaming.SpdySession;
import io.staticlet.core.container.SandboxSpecs;
import io.staticlet.core.manifest.ManifestSnapshot;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.reconcile.DesiredPods;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.testing.FakeContainerRuntime;
import io.staticlet.core.testing.ManualClock;
import io.staticlet.core.testing.TestLaunches;
import io.staticlet.core.testing.TestPods;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP half of streaming: checks before the upgrade, protocol negotiation, the 101 and the
 * switch to SPDY.
 */
class KubeletStreamingTest {
  private final FakeContainerRuntime runtime = new FakeContainerRuntime(new ManualClock());
  private final DesiredPods desired = new DesiredPods();
  private EmbeddedChannel ch;
  private String spdyExec;

  @BeforeEach
  void runningPod() {
    StaticPod pod = TestPods.pod("web").container("app", "busybox").build();
    desired.replace(new ManifestSnapshot(Map.of(pod.key(), pod), List.of()));
    spdyExec = "/exec/default/web-node1/app?command=sh&command=-c&command=true&output=1&error=1";
    assertEquals("web-node1", pod.key().name());
    String sandbox = runtime.startSandbox(SandboxSpecs.of(pod, 0));
    String id =
        runtime.createContainer(
            TestLaunches.create()
                .resolve(
                    pod,
                    pod.pod().getSpec().getContainers().get(0),
                    ContainerRole.APP,
                    0,
                    sandbox,
                    "10.88.0.1",
                    runtime.hostIp()));
    runtime.start(id);
    KubeletStreaming streaming =
        new KubeletStreaming(runtime, new ContainerLocator(desired, runtime), Runnable::run);
    ch = new EmbeddedChannel();
    ch.pipeline()
        .addLast(KubeletApiServer.HTTP_CODEC, new HttpServerCodec())
        .addLast(KubeletApiServer.HTTP_AGGREGATOR, new HttpObjectAggregator(65536))
        .addLast(
            KubeletApiServer.ROUTER,
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                  streaming.handle(ctx, (FullHttpRequest) msg, "admin");
                } finally {
                  ReferenceCountUtil.release(msg);
                }
              }
            });
  }

  private String request(String method, String uri, String... headers) {
    StringBuilder r =
        new StringBuilder(method + " " + uri + " HTTP/1.1\r\nHost: node\r\nContent-Length: 0\r\n");
    for (String h : headers) {
      r.append(h).append("\r\n");
    }
    ch.writeInbound(Unpooled.copiedBuffer(r.append("\r\n").toString(), StandardCharsets.US_ASCII));
    ch.runPendingTasks();
    StringBuilder out = new StringBuilder();
    for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
      ByteBuf b = (ByteBuf) o;
      out.append(b.toString(StandardCharsets.ISO_8859_1));
      b.release();
    }
    return out.toString();
  }

  @Test
  void spdyUpgradeEchoesTheFirstSupportedProtocolAndSwitchesThePipelineToSpdy() {
    String answer =
        request(
            "POST",
            spdyExec,
            "Connection: Upgrade",
            "Upgrade: SPDY/3.1",
            "X-Stream-Protocol-Version: v5.channel.k8s.io",
            "X-Stream-Protocol-Version: v4.channel.k8s.io",
            "X-Stream-Protocol-Version: v3.channel.k8s.io");
    assertTrue(answer.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), answer);
    assertTrue(
        answer.contains("upgrade: SPDY/3.1\r\n") && answer.contains("connection: Upgrade\r\n"),
        answer);
    assertTrue(answer.contains("X-Stream-Protocol-Version: v4.channel.k8s.io\r\n"), answer);
    assertNull(ch.pipeline().get(KubeletApiServer.HTTP_CODEC));
    assertNull(ch.pipeline().get(KubeletApiServer.HTTP_AGGREGATOR));
    assertNull(ch.pipeline().get(KubeletApiServer.ROUTER));
    assertNotNull(ch.pipeline().get(SpdyFrameCodec.class));
    assertNotNull(ch.pipeline().get(SpdySession.class));
  }

  @Test
  void noCommonProtocolIs403WithTheAcceptedVersions() {
    String answer =
        request(
            "POST",
            spdyExec,
            "Connection: Upgrade",
            "Upgrade: SPDY/3.1",
            "X-Stream-Protocol-Version: v5.channel.k8s.io");
    assertTrue(answer.startsWith("HTTP/1.1 403 Forbidden\r\n"), answer);
    assertTrue(
        answer.contains(
            "X-Accepted-Stream-Protocol-Versions: v4.channel.k8s.io, v3.channel.k8s.io,"
                + " v2.channel.k8s.io, channel.k8s.io\r\n"),
        answer);
    assertNotNull(ch.pipeline().get(KubeletApiServer.HTTP_CODEC), "still HTTP");
  }

  @Test
  void webSocketIsRefusedWith400SoKubectlFallsBackToSpdy() {
    String answer =
        request(
            "GET",
            spdyExec,
            "Connection: Upgrade",
            "Upgrade: websocket",
            "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            "Sec-WebSocket-Protocol: v5.channel.k8s.io");
    assertTrue(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer);
    assertTrue(answer.contains("WebSocket streaming is not supported"), answer);
  }

  @Test
  void portForwardNegotiatesItsOwnProtocol() {
    String answer =
        request(
            "POST",
            "/portForward/default/web-node1",
            "Connection: Upgrade",
            "Upgrade: SPDY/3.1",
            "X-Stream-Protocol-Version: portforward.k8s.io");
    assertTrue(answer.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), answer);
    assertTrue(answer.contains("X-Stream-Protocol-Version: portforward.k8s.io\r\n"), answer);
  }

  @Test
  void unknownPodsContainersAndMissingStreamsAreRefusedBeforeAnyUpgrade() {
    assertTrue(
        request(
                "POST",
                "/exec/default/nope/app?command=true&output=1",
                "Connection: Upgrade",
                "Upgrade: SPDY/3.1")
            .startsWith("HTTP/1.1 404 Not Found\r\n"));
    String container = request("POST", "/exec/default/web-node1/other?command=true&output=1");
    assertTrue(
        container.startsWith("HTTP/1.1 404 Not Found\r\n")
            && container.contains("container not found (\"other\")"),
        container);
    String streams = request("POST", "/exec/default/web-node1/app?command=true");
    assertTrue(
        streams.startsWith("HTTP/1.1 400 Bad Request\r\n")
            && streams.contains("you must specify at least 1 of stdin, stdout, stderr"),
        streams);
    assertTrue(request("GET", "/run/default/web-node1/app?cmd=true").startsWith("HTTP/1.1 405 "));
    assertEquals(List.of(), runtime.execs);
  }

  @Test
  void runExecutesTheCommandAndAnswersItsOutput() {
    String answer = request("POST", "/run/default/web-node1/app?cmd=echo%20hello");
    assertTrue(answer.startsWith("HTTP/1.1 200 OK\r\n"), answer);
    assertEquals(1, runtime.execs.size(), runtime.execs.toString());
    assertTrue(runtime.execs.get(0).endsWith(" echo hello"), runtime.execs.toString());
  }
}
