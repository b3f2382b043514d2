package io.staticlet.app.kubeletapi;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.function.Supplier;

/**
 * One path of the kubelet API, served once the request is authenticated and authorized, on a worker
 * thread (it may block). It answers exactly once; {@link #respond} for whole answers.
 */
interface Route {
  void serve(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      QueryStringDecoder query,
      RequestUser user);

  /** A route with a complete answer. */
  static Route respond(Supplier<FullHttpResponse> answer) {
    return (ctx, request, query, user) -> Responses.send(ctx, request, answer.get());
  }
}
