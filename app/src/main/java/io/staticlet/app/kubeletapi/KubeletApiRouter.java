package io.staticlet.app.kubeletapi;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet API's HTTP handler (pipeline name {@link KubeletApiServer#ROUTER}): authenticates,
 * authorizes as the kubelet ({@code nodes/<subresource>}), then serves the route on a worker
 * thread; streaming paths go to the {@link StreamingEndpoint} on the event loop. One request at a
 * time per connection: reading pauses while a request is served.
 *
 * <p>Concurrency contract: {@link #channelRead} runs on the connection's event-loop thread and only
 * hands the request over (it never blocks); {@code serve} runs on {@link Settings#workers()} (the
 * agent's cached {@code kubelet-api} pool) and may block: TokenReview and SubjectAccessReview calls
 * to the API server, reading from the engine, writing a log stream to a slow client. Routes run on
 * that worker and must be thread-safe (they read the status store, the desired pods and the engine;
 * they own nothing). Authorized streaming requests go back to the event loop, to the {@link
 * StreamingEndpoint}, which must not block there: its sessions' engine I/O runs on threads of its
 * own. A rejected hand-over closes the connection.
 */
final class KubeletApiRouter extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(KubeletApiRouter.class);
  static final List<String> STREAMING = List.of("/exec/", "/attach/", "/run/", "/portForward/");
  static final List<String> DEBUGGING =
      List.of(
          "/run/",
          "/exec/",
          "/attach/",
          "/portForward/",
          "/containerLogs/",
          "/runningpods/",
          "/debug/pprof/",
          "/logs/");

  /** What every connection's router shares. */
  record Settings(
      String nodeName,
      KubeletAuthenticator authenticator,
      KubeletAuthorizer authorizer,
      boolean debuggingHandlers,
      Map<String, Route> exact,
      Map<String, Route> prefixes,
      StreamingEndpoint streaming,
      Executor workers) {}

  private final Settings settings;

  KubeletApiRouter(Settings settings) {
    this.settings = settings;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (request.decoderResult().isFailure()) {
      Responses.send(ctx, request, Responses.error(HttpResponseStatus.BAD_REQUEST, "Bad Request"));
      request.release();
      return;
    }
    X509Certificate[] peer = peerCertificates(ctx);
    ctx.channel().config().setAutoRead(false);
    try {
      settings.workers().execute(() -> serve(ctx, request, peer));
    } catch (RejectedExecutionException e) {
      request.release();
      ctx.close();
    }
  }

  private void serve(ChannelHandlerContext ctx, FullHttpRequest request, X509Certificate[] peer) {
    boolean handedOver = false;
    try {
      QueryStringDecoder query = new QueryStringDecoder(request.uri());
      String path = query.path();
      RequestUser user;
      try {
        user =
            settings
                .authenticator()
                .authenticate(peer, request.headers().get(HttpHeaderNames.AUTHORIZATION));
      } catch (KubeletAuthenticator.Unauthenticated | RuntimeException e) {
        log.debug("kubelet API request not authenticated path={} reason={}", path, e.getMessage());
        finish(ctx, request, Responses.text(HttpResponseStatus.UNAUTHORIZED, "Unauthorized"));
        return;
      }
      RequestAttributes attributes =
          RequestAttributes.of(request.method(), path, settings.nodeName());
      String who =
          "user="
              + user.name()
              + ", verb="
              + attributes.verb()
              + ", resource="
              + attributes.resource()
              + ", subresource="
              + attributes.subresource();
      boolean allowed;
      try {
        allowed = settings.authorizer().allowed(user, attributes);
      } catch (RuntimeException e) {
        log.warn("kubelet API authorization failed {} path={} error={}", who, path, e.getMessage());
        finish(
            ctx,
            request,
            Responses.text(
                HttpResponseStatus.INTERNAL_SERVER_ERROR, "Authorization error (" + who + ")"));
        return;
      }
      if (!allowed) {
        log.debug("kubelet API request forbidden {} path={}", who, path);
        finish(
            ctx, request, Responses.text(HttpResponseStatus.FORBIDDEN, "Forbidden (" + who + ")"));
        return;
      }
      if (!settings.debuggingHandlers() && DEBUGGING.stream().anyMatch(path::startsWith)) {
        finish(
            ctx,
            request,
            Responses.error(
                HttpResponseStatus.METHOD_NOT_ALLOWED, "Debug endpoints are disabled."));
        return;
      }
      if (!settings.debuggingHandlers() && path.equals("/configz")) {
        finish(ctx, request, Responses.error(HttpResponseStatus.NOT_FOUND, "404 page not found"));
        return;
      }
      if (STREAMING.stream().anyMatch(path::startsWith)) {
        handedOver = true;
        ctx.executor()
            .execute(
                () -> {
                  try {
                    ctx.channel().config().setAutoRead(true);
                    settings.streaming().handle(ctx, request, user.name());
                  } catch (RuntimeException e) {
                    log.warn("streaming endpoint failed path={}", path, e);
                    ctx.close();
                  } finally {
                    ReferenceCountUtil.release(request);
                  }
                });
        return;
      }
      Route route = settings.exact().get(path);
      if (route == null) {
        route =
            settings.prefixes().entrySet().stream()
                .filter(e -> path.startsWith(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
      }
      if (route == null) {
        finish(ctx, request, Responses.error(HttpResponseStatus.NOT_FOUND, "404 page not found"));
        return;
      }
      route.serve(ctx, request, query, user);
      ctx.channel().config().setAutoRead(true);
    } catch (RuntimeException e) {
      log.warn("kubelet API request failed uri={}", request.uri(), e);
      ctx.close();
    } finally {
      if (!handedOver) {
        ReferenceCountUtil.release(request);
      }
    }
  }

  private static void finish(
      ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse r) {
    Responses.send(ctx, request, r);
    ctx.channel().config().setAutoRead(true);
  }

  private static X509Certificate[] peerCertificates(ChannelHandlerContext ctx) {
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    if (ssl == null) {
      return null;
    }
    try {
      Certificate[] certs = ssl.engine().getSession().getPeerCertificates();
      X509Certificate[] x509 = new X509Certificate[certs.length];
      for (int i = 0; i < certs.length; i++) {
        x509[i] = (X509Certificate) certs[i];
      }
      return x509;
    } catch (SSLPeerUnverifiedException | ClassCastException e) {
      return null;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug(
        "kubelet API connection error remote={} error={}",
        ctx.channel().remoteAddress(),
        cause.toString());
    ctx.close();
  }
}
