package io.staticlet.app.kubeletapi;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerNotFoundException;
import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.runtime.LogQuery;
import io.staticlet.core.runtime.LogSink;
import io.staticlet.core.runtime.RuntimeContainer;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /containerLogs/{namespace}/{pod}/{container}}: the engine's log of the container's
 * current instance (or, with {@code previous}, of the instance before it), streamed as chunks. The
 * answer is flushed before the first line (the kubelet's zero-byte write), so {@code kubectl logs
 * -f} shows lines as they come; {@code limitBytes} counts stdout and stderr together.
 */
final class ContainerLogsRoute implements Route {
  private static final Logger log = LoggerFactory.getLogger(ContainerLogsRoute.class);
  static final String PREFIX = "/containerLogs/";

  private final ContainerLocator locator;
  private final ContainerRuntime runtime;
  private final Clock clock;

  ContainerLogsRoute(ContainerLocator locator, ContainerRuntime runtime, Clock clock) {
    this.locator = locator;
    this.runtime = runtime;
    this.clock = clock;
  }

  @Override
  public void serve(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      QueryStringDecoder query,
      RequestUser user) {
    String[] parts = query.path().substring(PREFIX.length()).split("/", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      Responses.send(
          ctx, request, Responses.error(HttpResponseStatus.NOT_FOUND, "404 page not found"));
      return;
    }
    String namespace = parts[0];
    String podName = parts[1];
    String container = parts[2];
    PodLogOptions options;
    try {
      options = PodLogOptions.parse(query);
    } catch (PodLogOptions.UndecodableQuery e) {
      Responses.send(
          ctx,
          request,
          Responses.text(
              HttpResponseStatus.BAD_REQUEST, "{\"message\": \"Unable to decode query.\"}"));
      return;
    } catch (PodLogOptions.InvalidOptions e) {
      Responses.send(
          ctx,
          request,
          Responses.text(
              HttpResponseStatus.UNPROCESSABLE_ENTITY, "{\"message\": \"Invalid request.\"}"));
      return;
    }
    Optional<StaticPod> pod = locator.pod(namespace, podName);
    if (pod.isEmpty()) {
      Responses.send(
          ctx,
          request,
          Responses.text(HttpResponseStatus.NOT_FOUND, "pod \"" + podName + "\" does not exist"));
      return;
    }
    if (!locator.declares(pod.get(), container)) {
      Responses.send(
          ctx,
          request,
          Responses.text(
              HttpResponseStatus.NOT_FOUND,
              "container \"" + container + "\" not found in pod \"" + podName + "\""));
      return;
    }
    Optional<String> containerId = instance(namespace, podName, container, options.previous());
    if (containerId.isEmpty()) {
      String message =
          options.previous()
              ? "previous terminated container \""
                  + container
                  + "\" in pod \""
                  + podName
                  + "\" not found"
              : "container \""
                  + container
                  + "\" in pod \""
                  + podName
                  + "\" is waiting to start: ContainerCreating";
      Responses.send(ctx, request, Responses.text(HttpResponseStatus.BAD_REQUEST, message));
      return;
    }
    stream(ctx, request, containerId.get(), options);
  }

  private Optional<String> instance(
      String namespace, String pod, String container, boolean previous) {
    if (previous) {
      return locator.lastTerminatedId(namespace, pod, container);
    }
    return locator.currentInstance(namespace, pod, container).map(RuntimeContainer::id);
  }

  private void stream(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      String containerId,
      PodLogOptions options) {
    Channel channel = ctx.channel();
    LogQuery logQuery =
        new LogQuery(
            options.follow(),
            options.timestamps(),
            options.since(clock),
            options.tailLines() == null
                ? null
                : (int) Math.min(Integer.MAX_VALUE, options.tailLines()));
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, Responses.TEXT);
    HttpUtil.setTransferEncodingChunked(head, true);
    head.headers()
        .set(
            HttpHeaderNames.CONNECTION,
            keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    ChunkWriter writer = new ChunkWriter(channel, head, options.limitBytes());
    AutoCloseable logStream;
    try {
      logStream = runtime.streamLogs(containerId, logQuery, writer);
    } catch (ContainerNotFoundException e) {
      Responses.send(
          ctx,
          request,
          Responses.text(HttpResponseStatus.BAD_REQUEST, "container not found: " + e.getMessage()));
      return;
    } catch (RuntimeException e) {
      Responses.send(
          ctx, request, Responses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.getMessage()));
      return;
    }
    writer.start(); // the zero-byte write: headers out before the first line
    // kubectl logs -f ends by closing the connection: stop reading the engine then
    channel.config().setAutoRead(true);
    channel.closeFuture().addListener(f -> closeQuietly(logStream));
    writer.onLimit(() -> closeQuietly(logStream));
    try {
      writer.done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(logStream);
    } catch (ExecutionException e) {
      log.debug(
          "log stream ended with an error container={} error={}",
          containerId,
          e.getCause().toString());
    }
    writer.finish(keepAlive);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // the stream is gone either way
    }
  }

  /** Writes the engine's output as HTTP chunks, each flushed, up to {@code limitBytes}. */
  private static final class ChunkWriter implements LogSink {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Channel channel;
    private final HttpResponse head;
    private boolean started; // guarded by this
    private long remaining; // guarded by this
    private volatile Runnable onLimit = () -> {};

    ChunkWriter(Channel channel, HttpResponse head, Long limitBytes) {
      this.channel = channel;
      this.head = head;
      this.remaining = limitBytes == null ? Long.MAX_VALUE : limitBytes;
    }

    /** Sends the response head once, before any content. */
    synchronized void start() {
      if (!started) {
        started = true;
        channel.writeAndFlush(head);
      }
    }

    void onLimit(Runnable r) {
      onLimit = r;
      synchronized (this) {
        if (remaining > 0) {
          return;
        }
      }
      r.run();
    }

    @Override
    public void write(boolean stderr, byte[] bytes) {
      int n;
      synchronized (this) {
        if (remaining <= 0) {
          return;
        }
        start();
        n = (int) Math.min(bytes.length, remaining);
        remaining -= n;
        channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes, 0, n)));
      }
      if (n < bytes.length || remainingIsZero()) {
        onLimit.run();
        done.complete(null);
      }
    }

    private synchronized boolean remainingIsZero() {
      return remaining <= 0;
    }

    @Override
    public void end(Throwable error) {
      if (error == null) {
        done.complete(null);
      } else {
        done.completeExceptionally(error);
      }
    }

    void finish(boolean keepAlive) {
      start();
      if (!channel.isActive()) {
        return;
      }
      if (keepAlive) {
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      } else {
        channel
            .writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
            .addListener(ChannelFutureListener.CLOSE);
      }
    }
  }
}
