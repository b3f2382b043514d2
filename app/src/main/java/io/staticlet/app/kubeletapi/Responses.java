package io.staticlet.app.kubeletapi;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Complete responses of the kubelet API, written as the kubelet's Go server writes them. */
final class Responses {
  static final String TEXT = "text/plain; charset=utf-8";
  static final String JSON = "application/json";

  private Responses() {}

  /** {@code http.Error}: the message and a newline, text/plain, nosniff. */
  static FullHttpResponse error(HttpResponseStatus status, String message) {
    FullHttpResponse r = text(status, message + "\n");
    r.headers().set("X-Content-Type-Options", "nosniff");
    return r;
  }

  static FullHttpResponse text(HttpResponseStatus status, String body) {
    return bytes(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
  }

  static FullHttpResponse json(HttpResponseStatus status, String body) {
    return bytes(status, JSON, body.getBytes(StandardCharsets.UTF_8));
  }

  static FullHttpResponse bytes(HttpResponseStatus status, String contentType, byte[] body) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return r;
  }

  /**
   * Writes a complete response; keeps the connection for keep-alive requests, closes it otherwise.
   */
  static void send(ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse response) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(response);
    } else {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
