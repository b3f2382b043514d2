package io.staticlet.app.kubeletapi.streaming;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client-opened SPDY stream. Writes are thread-safe; with no flow control, a writer on a
 * blocking thread waits for a full outbound buffer to drain ({@link #writeBlocking}).
 */
public final class SpdyStream {
  /** The largest DATA frame we send (well below SPDY's 16 MiB frame limit). */
  static final int MAX_DATA_FRAME = 32 * 1024;

  private static final Duration DRAIN_WAIT = Duration.ofMinutes(1);

  private final int id;
  private final Map<String, String> headers;
  private final Channel channel;
  private final AtomicBoolean finished = new AtomicBoolean();

  SpdyStream(int id, Map<String, String> headers, Channel channel) {
    this.id = id;
    this.headers = Map.copyOf(headers);
    this.channel = channel;
  }

  public int id() {
    return id;
  }

  /** A header the client sent with SYN_STREAM (names lower-case), or {@code ""}. */
  public String header(String name) {
    return headers.getOrDefault(name, "");
  }

  /** Sends bytes in DATA frames. */
  public ChannelFuture write(byte[] bytes) {
    ChannelFuture last = null;
    for (int from = 0; from < bytes.length || last == null; from += MAX_DATA_FRAME) {
      int to = Math.min(bytes.length, from + MAX_DATA_FRAME);
      last =
          channel.writeAndFlush(
              new DefaultSpdyDataFrame(id, Unpooled.wrappedBuffer(bytes, from, to - from)));
    }
    return last;
  }

  /** {@link #write} from a thread that may block: waits while the connection cannot take more. */
  public void writeBlocking(byte[] bytes) {
    ChannelFuture f = write(bytes);
    if (!channel.isWritable() && !channel.eventLoop().inEventLoop()) {
      f.awaitUninterruptibly(DRAIN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Half-closes our side (an empty DATA frame with FIN); idempotent. */
  public ChannelFuture finish() {
    if (!finished.compareAndSet(false, true)) {
      return channel.newSucceededFuture();
    }
    DefaultSpdyDataFrame fin = new DefaultSpdyDataFrame(id);
    fin.setLast(true);
    return channel.writeAndFlush(fin);
  }

  /** Aborts the stream (RST_STREAM CANCEL). */
  public void reset() {
    if (finished.compareAndSet(false, true)) {
      channel.writeAndFlush(new DefaultSpdyRstStreamFrame(id, SpdyStreamStatus.CANCEL));
    }
  }

  @Override
  public String toString() {
    return "stream " + id + " " + headers;
  }
}
