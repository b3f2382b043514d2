package io.staticlet.app.kubeletapi;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.staticlet.app.kubeletapi.streaming.PortForwardSession;
import io.staticlet.app.kubeletapi.streaming.RemoteCommandSession;
import io.staticlet.app.kubeletapi.streaming.SpdySession;
import io.staticlet.app.kubeletapi.streaming.SpdyStreamListener;
import io.staticlet.app.kubeletapi.streaming.StreamProtocols;
import io.staticlet.app.kubeletapi.streaming.StreamingPath;
import io.staticlet.app.kubeletapi.streaming.StreamingPath.Kind;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.runtime.ExecResult;
import io.staticlet.core.runtime.StreamingOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /exec}, {@code /attach}, {@code /run} and {@code /portForward} of the kubelet API. Checks
 * the pod and container and the query before anything is upgraded (as the kubelet's server does
 * before it hands over to its streaming server), refuses WebSocket upgrades with 400 so kubectl
 * falls back to SPDY, negotiates the sub-protocol, answers 101 and replaces the HTTP handlers with
 * Netty's SPDY/3.1 frame codec and our own {@link SpdySession}.
 */
public final class KubeletStreaming implements StreamingEndpoint {
  /** How long {@code /run} may take. */
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

  private static final Logger log = LoggerFactory.getLogger(KubeletStreaming.class);

  private final ContainerRuntime runtime;
  private final ContainerLocator locator;
  private final Executor blocking;
  private final Duration streamCreationTimeout;

  /**
   * @param blocking runs the engine calls (start, stdin, resize): never the event loop
   */
  public KubeletStreaming(ContainerRuntime runtime, ContainerLocator locator, Executor blocking) {
    this(runtime, locator, blocking, RemoteCommandSession.STREAM_CREATION_TIMEOUT);
  }

  KubeletStreaming(
      ContainerRuntime runtime,
      ContainerLocator locator,
      Executor blocking,
      Duration streamCreationTimeout) {
    this.runtime = runtime;
    this.locator = locator;
    this.blocking = blocking;
    this.streamCreationTimeout = streamCreationTimeout;
  }

  @Override
  public void handle(ChannelHandlerContext ctx, FullHttpRequest request, String user) {
    QueryStringDecoder query = new QueryStringDecoder(request.uri());
    Optional<StreamingPath> parsed = StreamingPath.parse(query.path());
    if (parsed.isEmpty()) {
      reply(ctx, request, HttpResponseStatus.NOT_FOUND, "404 page not found");
      return;
    }
    StreamingPath path = parsed.get();
    HttpMethod method = request.method();
    boolean getOrPost = method.equals(HttpMethod.GET) || method.equals(HttpMethod.POST);
    if (path.kind() == Kind.RUN ? !method.equals(HttpMethod.POST) : !getOrPost) {
      reply(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "405: Method Not Allowed");
      return;
    }
    Optional<StaticPod> pod = locator.pod(path.namespace(), path.pod(), path.uid());
    if (pod.isEmpty()) {
      reply(ctx, request, HttpResponseStatus.NOT_FOUND, "pod does not exist");
      return;
    }
    if (path.kind() == Kind.PORT_FORWARD) {
      portForward(ctx, request, path, pod.get());
      return;
    }
    if (!locator.declares(pod.get(), path.container())) {
      reply(
          ctx,
          request,
          HttpResponseStatus.NOT_FOUND,
          "container not found (\"" + path.container() + "\")");
      return;
    }
    Optional<String> container =
        locator.runningContainerId(path.namespace(), path.pod(), path.container());
    if (container.isEmpty()) {
      reply(
          ctx,
          request,
          HttpResponseStatus.INTERNAL_SERVER_ERROR,
          "container "
              + path.container()
              + " of pod "
              + path.namespace()
              + "/"
              + path.pod()
              + " is not running");
      return;
    }
    log.debug(
        "{} {}/{}/{} for {}", path.kind(), path.namespace(), path.pod(), path.container(), user);
    if (path.kind() == Kind.RUN) {
      run(ctx, request, query, container.get());
    } else {
      remoteCommand(ctx, request, query, path, container.get());
    }
  }

  private void run(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      QueryStringDecoder query,
      String containerId) {
    List<String> command =
        Arrays.stream(first(query, "cmd").trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    if (command.isEmpty()) {
      reply(ctx, request, HttpResponseStatus.BAD_REQUEST, "missing cmd parameter");
      return;
    }
    HttpRequest head =
        new DefaultHttpRequest(
            request.protocolVersion(), request.method(), request.uri(), request.headers().copy());
    ctx.channel().config().setAutoRead(false);
    blocking.execute(
        () -> {
          FullHttpResponse response;
          try {
            ExecResult result = runtime.exec(containerId, command, RUN_TIMEOUT);
            response =
                result.succeeded()
                    ? Responses.text(HttpResponseStatus.OK, result.output())
                    : Responses.error(
                        HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        result.timedOut()
                            ? "command "
                                + command
                                + " timed out after "
                                + RUN_TIMEOUT.toSeconds()
                                + "s"
                            : "command "
                                + command
                                + " exited with "
                                + result.exitCode()
                                + ": "
                                + result.output());
          } catch (RuntimeException e) {
            response = Responses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.getMessage());
          }
          FullHttpResponse answer = response;
          ctx.executor()
              .execute(
                  () -> {
                    ctx.channel().config().setAutoRead(true);
                    Responses.send(ctx, head, answer);
                  });
        });
  }

  private void remoteCommand(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      QueryStringDecoder query,
      StreamingPath path,
      String containerId) {
    boolean tty = flag(query, "tty");
    StreamingOptions options =
        new StreamingOptions(
            flag(query, "input"), flag(query, "output"), flag(query, "error") && !tty, tty);
    if (!options.stdin() && !options.stdout() && !options.stderr()) {
      reply(
          ctx,
          request,
          HttpResponseStatus.BAD_REQUEST,
          "you must specify at least 1 of stdin, stdout, stderr");
      return;
    }
    List<String> command = query.parameters().getOrDefault("command", List.of());
    if (path.kind() == Kind.EXEC && command.isEmpty()) {
      reply(
          ctx,
          request,
          HttpResponseStatus.BAD_REQUEST,
          "you must specify at least one command for the container");
      return;
    }
    Optional<String> protocol = upgrade(ctx, request, StreamProtocols.REMOTE_COMMAND);
    if (protocol.isEmpty()) {
      return;
    }
    RemoteCommandSession session =
        new RemoteCommandSession(
            ctx.channel(),
            protocol.get(),
            options,
            path.kind() == Kind.EXEC
                ? output -> runtime.execStreaming(containerId, command, options, output)
                : output -> runtime.attach(containerId, options, output),
            blocking);
    switchToSpdy(ctx, session);
    session.begin(streamCreationTimeout);
  }

  private void portForward(
      ChannelHandlerContext ctx, FullHttpRequest request, StreamingPath path, StaticPod pod) {
    Optional<String> sandbox = locator.sandboxId(path.namespace(), path.pod());
    if (sandbox.isEmpty()) {
      reply(
          ctx,
          request,
          HttpResponseStatus.INTERNAL_SERVER_ERROR,
          "pod " + path.namespace() + "/" + path.pod() + " has no running sandbox");
      return;
    }
    Optional<String> protocol = upgrade(ctx, request, StreamProtocols.PORT_FORWARDING);
    if (protocol.isEmpty()) {
      return;
    }
    String sandboxId = sandbox.get();
    switchToSpdy(
        ctx,
        new PortForwardSession(
            ctx.channel(),
            (port, output) -> runtime.portForward(sandboxId, port, output),
            blocking,
            path.pod() + ", uid " + pod.uid(),
            streamCreationTimeout));
  }

  /**
   * Answers the upgrade: 400 for WebSocket or a request without SPDY upgrade headers, 403 when no
   * sub-protocol matches, else 101 with the chosen protocol; empty unless upgraded.
   */
  private Optional<String> upgrade(
      ChannelHandlerContext ctx, FullHttpRequest request, List<String> supported) {
    String upgrade = request.headers().get(HttpHeaderNames.UPGRADE, "").toLowerCase(Locale.ROOT);
    if (upgrade.contains("websocket")) {
      reply(
          ctx,
          request,
          HttpResponseStatus.BAD_REQUEST,
          "WebSocket streaming is not supported by this node: use SPDY/3.1 (kubectl falls back by itself)");
      return Optional.empty();
    }
    String connection =
        request.headers().get(HttpHeaderNames.CONNECTION, "").toLowerCase(Locale.ROOT);
    if (!upgrade.equals("spdy/3.1") || !connection.contains("upgrade")) {
      reply(
          ctx,
          request,
          HttpResponseStatus.BAD_REQUEST,
          "unable to upgrade: missing upgrade headers in request (Connection: Upgrade, Upgrade: SPDY/3.1)");
      return Optional.empty();
    }
    List<String> offered = request.headers().getAll(StreamProtocols.HEADER);
    Optional<String> chosen = StreamProtocols.negotiate(offered, supported);
    if (chosen.isEmpty()) {
      FullHttpResponse refused =
          Responses.error(
              HttpResponseStatus.FORBIDDEN,
              "unable to upgrade: unable to negotiate protocol: client supports "
                  + offered
                  + ", server accepts "
                  + supported);
      refused.headers().set(StreamProtocols.ACCEPTED_HEADER, String.join(", ", supported));
      Responses.send(ctx, request, refused);
      return Optional.empty();
    }
    FullHttpResponse switching =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
    switching
        .headers()
        .set(HttpHeaderNames.CONNECTION, "Upgrade")
        .set(HttpHeaderNames.UPGRADE, "SPDY/3.1");
    if (!chosen.get().isEmpty()) {
      switching.headers().set(StreamProtocols.HEADER, chosen.get());
    }
    ctx.writeAndFlush(switching);
    return chosen;
  }

  /**
   * After the 101 went out through the HTTP encoder: SPDY frames from now on. The HTTP decoder goes
   * last so that bytes it may already hold reach the SPDY codec.
   */
  private static void switchToSpdy(ChannelHandlerContext ctx, SpdyStreamListener listener) {
    ChannelPipeline pipeline = ctx.pipeline();
    pipeline.addLast("spdy-codec", new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
    pipeline.addLast("spdy-session", new SpdySession(listener));
    for (String name :
        List.of(
            KubeletApiServer.ROUTER,
            KubeletApiServer.HTTP_AGGREGATOR,
            KubeletApiServer.HTTP_CODEC)) {
      if (pipeline.get(name) != null) {
        pipeline.remove(name);
      }
    }
  }

  private static void reply(
      ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status, String message) {
    Responses.send(ctx, request, Responses.error(status, message));
  }

  private static boolean flag(QueryStringDecoder query, String name) {
    return "1".equals(first(query, name));
  }

  private static String first(QueryStringDecoder query, String name) {
    Map<String, List<String>> params = query.parameters();
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? "" : values.get(0);
  }
}
