package io.staticlet.app.kubeletapi;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * Serves {@code /exec/}, {@code /attach/}, {@code /run/} and {@code /portForward/}. The router
 * calls it on the channel's event loop once the request was authenticated and authorized; the
 * endpoint answers the request itself (a 101 upgrade or an error) and may then rewire the pipeline:
 * the router's handlers are named {@link KubeletApiServer#SSL} (keep it), {@link
 * KubeletApiServer#HTTP_CODEC}, {@link KubeletApiServer#HTTP_AGGREGATOR} and {@link
 * KubeletApiServer#ROUTER}. The router releases {@code request} when this returns: {@code retain()}
 * it to keep it longer.
 */
public interface StreamingEndpoint {
  /**
   * @param user the authenticated user's name
   */
  void handle(ChannelHandlerContext ctx, FullHttpRequest request, String user);
}
