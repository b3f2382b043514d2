package io.staticlet.app.kubeletapi.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Client-side frames for the session tests, and reading what the server sent. */
final class Frames {
  private Frames() {}

  static DefaultSpdySynStreamFrame syn(int id, String... headers) {
    DefaultSpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
    for (int i = 0; i < headers.length; i += 2) {
      syn.headers().set(headers[i], headers[i + 1]);
    }
    return syn;
  }

  static SpdyDataFrame data(int id, String text) {
    return new DefaultSpdyDataFrame(id, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
  }

  static SpdyDataFrame fin(int id) {
    DefaultSpdyDataFrame fin = new DefaultSpdyDataFrame(id);
    fin.setLast(true);
    return fin;
  }

  /** Every frame the server wrote so far. */
  static List<SpdyFrame> written(EmbeddedChannel ch) {
    List<SpdyFrame> frames = new ArrayList<>();
    for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
      frames.add((SpdyFrame) o);
    }
    return frames;
  }

  static void assertReplies(List<SpdyFrame> frames, int... ids) {
    assertEquals(ids.length, frames.size(), frames.toString());
    for (int i = 0; i < ids.length; i++) {
      SpdySynReplyFrame reply = assertInstanceOf(SpdySynReplyFrame.class, frames.get(i));
      assertEquals(ids[i], reply.streamId());
      assertNotNull(
          reply.headers().get("streamtype"), "spdystream cannot parse an empty header block");
    }
  }

  /** The bytes of the DATA frames of one stream, and whether the last one carried FIN. */
  record StreamOut(String text, boolean finished) {}

  static StreamOut stream(List<SpdyFrame> frames, int id) {
    StringBuilder text = new StringBuilder();
    boolean finished = false;
    for (SpdyFrame f : frames) {
      if (f instanceof SpdyDataFrame d && d.streamId() == id) {
        text.append(new String(ByteBufUtil.getBytes(d.content()), StandardCharsets.UTF_8));
        finished |= d.isLast();
        d.release();
      }
    }
    return new StreamOut(text.toString(), finished);
  }
}
