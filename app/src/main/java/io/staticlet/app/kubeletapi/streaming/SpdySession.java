package io.staticlet.app.kubeletapi.streaming;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of a SPDY/3.1 connection as spdystream (the Go peer of kubectl and the API
 * server) speaks it, placed after Netty's {@code SpdyFrameCodec}: every client SYN_STREAM gets a
 * SYN_REPLY at once, DATA goes to the stream's listener, FIN half-closes, PINGs are echoed, GOAWAY
 * ends the connection. No flow control: the Go peer never sends WINDOW_UPDATE (Netty's
 * SpdySessionHandler would stall on it). Runs on the event loop; the stream table is only touched
 * there.
 */
public final class SpdySession extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(SpdySession.class);

  private final SpdyStreamListener listener;
  private final Map<Integer, SpdyStream> streams = new HashMap<>();
  private int lastStreamId;

  public SpdySession(SpdyStreamListener listener) {
    this.listener = listener;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof SpdySynStreamFrame syn) {
        synStream(ctx, syn);
      } else if (msg instanceof SpdyDataFrame data) {
        data(ctx, data);
      } else if (msg instanceof SpdyRstStreamFrame rst) {
        SpdyStream stream = streams.remove(rst.streamId());
        if (stream != null) {
          listener.reset(stream);
        }
      } else if (msg instanceof SpdyPingFrame ping) {
        ctx.writeAndFlush(new DefaultSpdyPingFrame(ping.id()));
      } else if (msg instanceof SpdyGoAwayFrame) {
        ctx.close();
      }
      // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do without flow control
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void synStream(ChannelHandlerContext ctx, SpdySynStreamFrame syn) {
    int id = syn.streamId();
    if (id % 2 == 0 || id <= lastStreamId) {
      ctx.writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.PROTOCOL_ERROR));
      return;
    }
    lastStreamId = id;
    Map<String, String> headers = new HashMap<>();
    for (Map.Entry<CharSequence, CharSequence> h : syn.headers()) {
      headers.putIfAbsent(h.getKey().toString().toLowerCase(Locale.ROOT), h.getValue().toString());
    }
    SpdyStream stream = new SpdyStream(id, headers, ctx.channel());
    streams.put(id, stream);
    DefaultSpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(id);
    // spdystream cannot parse an empty header block, and Netty encodes no headers as one
    reply.headers().set("streamtype", stream.header("streamtype"));
    ctx.writeAndFlush(reply);
    listener.opened(stream);
    if (syn.isLast()) {
      listener.remoteFinished(stream);
    }
  }

  private void data(ChannelHandlerContext ctx, SpdyDataFrame data) {
    SpdyStream stream = streams.get(data.streamId());
    if (stream == null) {
      ctx.writeAndFlush(
          new DefaultSpdyRstStreamFrame(data.streamId(), SpdyStreamStatus.INVALID_STREAM));
      return;
    }
    if (data.content().isReadable()) {
      listener.data(stream, ByteBufUtil.getBytes(data.content()));
    }
    if (data.isLast()) {
      listener.remoteFinished(stream);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    streams.clear();
    listener.closed();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug(
        "SPDY connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  /** Ends the connection once everything written so far is flushed: GOAWAY, then close. */
  static void goAway(Channel channel, int lastStreamId) {
    channel
        .writeAndFlush(new DefaultSpdyGoAwayFrame(lastStreamId))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
