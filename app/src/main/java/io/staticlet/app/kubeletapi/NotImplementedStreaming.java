package io.staticlet.app.kubeletapi;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/** The streaming endpoint until exec, attach and port-forward are served: 501 Not Implemented. */
final class NotImplementedStreaming implements StreamingEndpoint {
  @Override
  public void handle(ChannelHandlerContext ctx, FullHttpRequest request, String user) {
    Responses.send(
        ctx,
        request,
        Responses.text(
            HttpResponseStatus.NOT_IMPLEMENTED,
            "streaming (exec, attach, run, port-forward) is not implemented yet"));
  }
}
