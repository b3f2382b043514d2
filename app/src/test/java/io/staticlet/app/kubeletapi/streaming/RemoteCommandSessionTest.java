package io.staticlet.app.kubeletapi.streaming;

import static io.staticlet.app.kubeletapi.streaming.Frames.assertReplies;
import static io.staticlet.app.kubeletapi.streaming.Frames.data;
import static io.staticlet.app.kubeletapi.streaming.Frames.fin;
import static io.staticlet.app.kubeletapi.streaming.Frames.stream;
import static io.staticlet.app.kubeletapi.streaming.Frames.syn;
import static io.staticlet.app.kubeletapi.streaming.Frames.written;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.staticlet.core.runtime.RuntimeUnavailableException;
import io.staticlet.core.runtime.StreamingOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RemoteCommandSessionTest {
  private static final StreamingOptions OUTPUT_ONLY =
      new StreamingOptions(false, true, true, false);

  private final EmbeddedChannel ch = new EmbeddedChannel();
  private final List<FakeProcess> started = new ArrayList<>();

  private void install(String protocol, StreamingOptions options) {
    RemoteCommandSession session =
        new RemoteCommandSession(
            ch,
            protocol,
            options,
            out -> {
              FakeProcess p = new FakeProcess(out);
              started.add(p);
              return p;
            },
            Runnable::run);
    ch.pipeline().addLast(new SpdySession(session));
    session.begin(Duration.ofSeconds(30));
  }

  @Test
  void startsOnlyOnceEveryExpectedStreamIsThereAndRepliesToEach() {
    install(StreamProtocols.V4, OUTPUT_ONLY);
    ch.writeInbound(syn(1, "streamtype", "error"), syn(3, "streamtype", "stdout"));
    assertTrue(started.isEmpty(), "stderr is still missing");
    ch.writeInbound(syn(5, "streamtype", "stderr"));
    assertEquals(1, started.size());
    assertReplies(written(ch), 1, 3, 5);
  }

  @Test
  void nonZeroExitGoesAsV4StatusJsonAndEveryOutputStreamIsFinishedThenTheConnectionCloses() {
    install(StreamProtocols.V4, OUTPUT_ONLY);
    ch.writeInbound(
        syn(1, "streamtype", "error"),
        syn(3, "streamtype", "stdout"),
        syn(5, "streamtype", "stderr"));
    written(ch);
    FakeProcess p = started.get(0);
    p.output.stdout("x\n".getBytes(StandardCharsets.UTF_8));
    p.output.stderr("y\n".getBytes(StandardCharsets.UTF_8));
    p.exitWith(3);

    List<SpdyFrame> frames = written(ch);
    assertEquals(new Frames.StreamOut("x\n", true), stream(frames, 3));
    assertEquals(new Frames.StreamOut("y\n", true), stream(frames, 5));
    assertEquals(
        new Frames.StreamOut(
            "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero"
                + " exit code: Error executing in Docker Container: 3\",\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":"
                + "[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}",
            true),
        stream(frames, 1));
    assertInstanceOf(SpdyGoAwayFrame.class, frames.get(frames.size() - 1));
    assertFalse(ch.isOpen());
  }

  @Test
  void successIsAStatusWithV4AndNothingButFinBeforeV4() {
    install(StreamProtocols.V4, new StreamingOptions(false, true, false, false));
    ch.writeInbound(syn(1, "streamtype", "error"), syn(3, "streamtype", "stdout"));
    started.get(0).exitWith(0);
    assertEquals(
        new Frames.StreamOut("{\"metadata\":{},\"status\":\"Success\"}", true),
        stream(written(ch), 1));

    EmbeddedChannel v2 = new EmbeddedChannel();
    List<FakeProcess> v2Started = new ArrayList<>();
    RemoteCommandSession session =
        new RemoteCommandSession(
            v2,
            StreamProtocols.V2,
            new StreamingOptions(false, true, false, false),
            out -> {
              FakeProcess p = new FakeProcess(out);
              v2Started.add(p);
              return p;
            },
            Runnable::run);
    v2.pipeline().addLast(new SpdySession(session));
    v2.writeInbound(syn(1, "streamtype", "error"), syn(3, "streamtype", "stdout"));
    v2Started.get(0).exitWith(0);
    assertEquals(new Frames.StreamOut("", true), stream(written(v2), 1));
  }

  @Test
  void aFailedStartIsAnInternalErrorStatus() {
    RemoteCommandSession session =
        new RemoteCommandSession(
            ch,
            StreamProtocols.V4,
            OUTPUT_ONLY,
            out -> {
              throw new RuntimeUnavailableException("engine down");
            },
            Runnable::run);
    ch.pipeline().addLast(new SpdySession(session));
    ch.writeInbound(
        syn(1, "streamtype", "error"),
        syn(3, "streamtype", "stdout"),
        syn(5, "streamtype", "stderr"));
    assertEquals(
        new Frames.StreamOut(
            "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"Internal error occurred: error"
                + " executing command in container: engine down\",\"reason\":\"InternalError\",\"details\":{\"causes\":"
                + "[{\"message\":\"error executing command in container: engine down\"}]},\"code\":500}",
            true),
        stream(written(ch), 1));
  }

  @Test
  void missingStreamsCloseTheConnectionAfterThirtySeconds() {
    install(StreamProtocols.V4, OUTPUT_ONLY);
    ch.writeInbound(syn(1, "streamtype", "error"), syn(3, "streamtype", "stdout"));
    ch.advanceTimeBy(29, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertTrue(ch.isOpen());
    ch.advanceTimeBy(2, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertFalse(ch.isOpen());
    assertTrue(started.isEmpty());
  }

  @Test
  void stdinDataThenFinReachTheProcessInOrderAndResizeJsonMaySpanFrames() {
    install(StreamProtocols.V4, new StreamingOptions(true, true, false, true));
    ch.writeInbound(
        syn(1, "streamtype", "error"),
        syn(3, "streamtype", "stdin"),
        syn(5, "streamtype", "stdout"));
    assertTrue(started.isEmpty(), "with a terminal on v4 the resize stream is expected too");
    ch.writeInbound(syn(7, "streamtype", "resize"));
    FakeProcess p = started.get(0);
    ch.writeInbound(
        data(7, "{\"Width\":80,"), data(7, "\"Height\":24}{\"Width\":100,\"Height\":30}"));
    ch.writeInbound(data(3, "echo hi\n"), data(3, "exit\n"), fin(3));
    assertEquals(
        List.of("resize:80x24", "resize:100x30", "stdin:echo hi\n", "stdin:exit\n", "close-stdin"),
        p.calls);
  }

  @Test
  void withATerminalOnV2ThereIsNoResizeStream() {
    install(StreamProtocols.V2, new StreamingOptions(true, true, false, true));
    ch.writeInbound(
        syn(1, "streamtype", "error"),
        syn(3, "streamtype", "stdin"),
        syn(5, "streamtype", "stdout"));
    assertEquals(1, started.size());
  }

  @Test
  void pingsAreEchoedAndUnknownStreamsReset() {
    install(StreamProtocols.V4, OUTPUT_ONLY);
    ch.writeInbound(new DefaultSpdyPingFrame(7));
    SpdyPingFrame pong = assertInstanceOf(SpdyPingFrame.class, ch.readOutbound());
    assertEquals(7, pong.id());
    ch.writeInbound(data(9, "nobody"));
    SpdyRstStreamFrame rst = assertInstanceOf(SpdyRstStreamFrame.class, ch.readOutbound());
    assertEquals(SpdyStreamStatus.INVALID_STREAM, rst.status());
  }

  @Test
  void theClientGoingAwayDropsTheProcess() {
    install(StreamProtocols.V4, OUTPUT_ONLY);
    ch.writeInbound(
        syn(1, "streamtype", "error"),
        syn(3, "streamtype", "stdout"),
        syn(5, "streamtype", "stderr"));
    ch.close();
    assertEquals(List.of("close"), started.get(0).calls);
  }

  @Test
  void framesRoundTripThroughNettysSpdy31CodecOnBothSides() {
    EmbeddedChannel server = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
    List<FakeProcess> procs = new ArrayList<>();
    RemoteCommandSession session =
        new RemoteCommandSession(
            server,
            StreamProtocols.V4,
            new StreamingOptions(false, true, false, false),
            out -> {
              FakeProcess p = new FakeProcess(out);
              procs.add(p);
              return p;
            },
            Runnable::run);
    server.pipeline().addLast(new SpdySession(session));
    EmbeddedChannel client = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));

    client.writeOutbound(syn(1, "streamtype", "error"), syn(3, "streamtype", "stdout"));
    pipe(client, server);
    procs.get(0).output.stdout("out".getBytes(StandardCharsets.UTF_8));
    procs.get(0).exitWith(0);
    pipe(server, client);

    List<Object> got = new ArrayList<>();
    for (Object o = client.readInbound(); o != null; o = client.readInbound()) {
      got.add(o);
    }
    SpdySynReplyFrame reply = assertInstanceOf(SpdySynReplyFrame.class, got.get(0));
    assertEquals("error", reply.headers().getAsString("streamtype"));
    List<SpdyFrame> frames =
        got.stream().filter(SpdyFrame.class::isInstance).map(SpdyFrame.class::cast).toList();
    assertEquals(new Frames.StreamOut("out", true), stream(frames, 3));
    assertEquals(
        new Frames.StreamOut("{\"metadata\":{},\"status\":\"Success\"}", true), stream(frames, 1));
  }

  private static void pipe(EmbeddedChannel from, EmbeddedChannel to) {
    for (Object o = from.readOutbound(); o != null; o = from.readOutbound()) {
      to.writeInbound((ByteBuf) o);
    }
  }
}
