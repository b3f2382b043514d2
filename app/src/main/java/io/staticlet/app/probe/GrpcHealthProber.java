package io.staticlet.app.probe;

import io.staticlet.core.probe.ProbeResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpProcessorBuilder;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.impl.nio.bootstrap.H2AsyncRequester;
import org.apache.hc.core5.http2.impl.nio.bootstrap.H2RequesterBootstrap;
import org.apache.hc.core5.http2.protocol.H2RequestConnControl;
import org.apache.hc.core5.http2.protocol.H2RequestContent;
import org.apache.hc.core5.http2.protocol.H2RequestTargetHost;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * {@code grpc} probes: the standard {@code grpc.health.v1.Health/Check} over HTTP/2 cleartext with
 * prior knowledge, as the kubelet's gRPC client does (no TLS). Like the kubelet, every probe opens
 * a fresh connection and closes it afterwards, so no state survives a container restart. Uses
 * httpcore5-h2 (already in the agent through docker-java's transport); its single I/O thread is
 * started with the first gRPC probe. Thread-safe.
 */
final class GrpcHealthProber implements AutoCloseable {
  private static final String PATH = "/grpc.health.v1.Health/Check";
  private static final int MAX_BODY = 64 * 1024;
  private static final ContentType GRPC = ContentType.create("application/grpc");

  private H2AsyncRequester requester; // guarded by this
  private boolean closed; // guarded by this

  ProbeResult check(String host, int port, String service, Duration timeout) {
    String target = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    long deadline = System.nanoTime() + timeout.toNanos();
    H2AsyncRequester h2 = requester();
    if (h2 == null) {
      return ProbeResult.failure("the agent is shutting down");
    }
    Future<AsyncClientEndpoint> connecting =
        h2.connect(new HttpHost("http", host, port), Timeout.of(timeout));
    AsyncClientEndpoint endpoint;
    try {
      endpoint = connecting.get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      connecting.cancel(true);
      return ProbeResult.failure(
          "timeout: failed to connect service \""
              + target
              + "\" within "
              + timeout.toSeconds()
              + "s");
    } catch (ExecutionException e) {
      return ProbeResult.failure(
          "failed to connect service \"" + target + "\": " + describe(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ProbeResult.failure("interrupted");
    }
    try {
      BasicHttpRequest request =
          new BasicHttpRequest(Method.POST, new HttpHost("http", host, port), PATH);
      request.addHeader("te", "trailers");
      request.addHeader("user-agent", HttpGetProber.USER_AGENT);
      request.addHeader("grpc-timeout", Math.max(1, timeout.toMillis()) + "m");
      Future<Reply> call =
          endpoint.execute(
              new BasicRequestProducer(
                  request,
                  AsyncEntityProducers.create(GrpcHealthMessages.requestFrame(service), GRPC)),
              new ReplyConsumer(),
              null);
      try {
        return interpret(call.get(remainingNanos(deadline), TimeUnit.NANOSECONDS));
      } catch (TimeoutException e) {
        call.cancel(true);
        return ProbeResult.failure(
            "timeout: health rpc did not complete within " + timeout.toSeconds() + "s");
      } catch (ExecutionException e) {
        return ProbeResult.failure(
            "health rpc to \"" + target + "\" failed: " + describe(e.getCause()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ProbeResult.failure("interrupted");
      }
    } finally {
      endpoint.releaseAndDiscard();
    }
  }

  static ProbeResult interpret(Reply reply) {
    if (reply.httpStatus() != 200) {
      return ProbeResult.failure(
          "health rpc failed: HTTP status " + reply.httpStatus() + " (not a gRPC server?)");
    }
    Optional<String> grpcStatus =
        reply.trailer("grpc-status").or(() -> reply.header("grpc-status"));
    if (grpcStatus.isEmpty()) {
      return ProbeResult.failure("health rpc failed: the response carries no grpc-status");
    }
    String message =
        reply.trailer("grpc-message").or(() -> reply.header("grpc-message")).orElse("");
    switch (grpcStatus.get().strip()) {
      case "0" -> {
        OptionalInt status = GrpcHealthMessages.status(reply.body());
        if (status.isEmpty()) {
          return ProbeResult.failure("health rpc failed: unreadable HealthCheckResponse");
        }
        return status.getAsInt() == GrpcHealthMessages.SERVING
            ? ProbeResult.success()
            : ProbeResult.failure(
                "service unhealthy (responded with \""
                    + GrpcHealthMessages.statusName(status.getAsInt())
                    + "\")");
      }
      case "12" -> {
        return ProbeResult.failure(
            "this server does not implement the grpc health protocol (grpc.health.v1.Health): "
                + message);
      }
      default -> {
        return ProbeResult.failure(
            "health rpc failed: code = " + grpcStatus.get().strip() + " desc = " + message);
      }
    }
  }

  private synchronized H2AsyncRequester requester() {
    if (closed) {
      return null;
    }
    if (requester == null) {
      requester =
          H2RequesterBootstrap.bootstrap()
              .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_2)
              // the defaults minus RequestExpectContinue: gRPC servers do not answer "Expect:
              // 100-continue"
              .setHttpProcessor(
                  HttpProcessorBuilder.create()
                      .addAll(
                          H2RequestContent.INSTANCE,
                          H2RequestTargetHost.INSTANCE,
                          H2RequestConnControl.INSTANCE)
                      .build())
              .setIOReactorConfig(
                  IOReactorConfig.custom()
                      .setIoThreadCount(1)
                      .setSoTimeout(Timeout.ofMinutes(1))
                      .build())
              .create();
      requester.start();
    }
    return requester;
  }

  private static long remainingNanos(long deadline) {
    return Math.max(1, deadline - System.nanoTime());
  }

  private static String describe(Throwable t) {
    if (t instanceof ConnectException) {
      return "connection refused";
    }
    return t == null
        ? "unknown error"
        : t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (requester != null) {
      requester.close(CloseMode.IMMEDIATE);
      requester = null;
    }
  }

  /** What came back: status, headers, body (bounded) and trailers. */
  record Reply(int httpStatus, List<Header> headers, byte[] body, List<Header> trailers) {
    Optional<String> header(String name) {
      return find(headers, name);
    }

    Optional<String> trailer(String name) {
      return find(trailers, name);
    }

    private static Optional<String> find(List<Header> headers, String name) {
      return headers.stream()
          .filter(h -> h.getName().equalsIgnoreCase(name))
          .map(Header::getValue)
          .findFirst();
    }
  }

  /**
   * Collects one response including its trailers (the HTTP/2 trailing HEADERS frame gRPC ends
   * with).
   */
  private static final class ReplyConsumer implements AsyncResponseConsumer<Reply> {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(); // guarded by this
    private HttpResponse response; // guarded by this
    private FutureCallback<Reply> callback; // guarded by this

    @Override
    public synchronized void consumeResponse(
        HttpResponse response,
        EntityDetails entity,
        HttpContext context,
        FutureCallback<Reply> callback) {
      this.response = response;
      this.callback = callback;
      if (entity == null) {
        // trailers-only response: the status is in the headers and the stream has ended
        callback.completed(
            new Reply(response.getCode(), List.of(response.getHeaders()), new byte[0], List.of()));
      }
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {}

    @Override
    public void updateCapacity(CapacityChannel channel) throws IOException {
      channel.update(Integer.MAX_VALUE);
    }

    @Override
    public synchronized void consume(ByteBuffer src) {
      int room = MAX_BODY - body.size();
      int n = Math.min(room, src.remaining());
      if (n > 0) {
        byte[] chunk = new byte[n];
        src.get(chunk);
        body.write(chunk, 0, n);
      }
      src.position(src.limit());
    }

    @Override
    public synchronized void streamEnd(List<? extends Header> trailers) {
      if (callback != null) {
        callback.completed(
            new Reply(
                response.getCode(),
                List.of(response.getHeaders()),
                body.toByteArray(),
                trailers == null ? List.of() : new ArrayList<>(trailers)));
      }
    }

    @Override
    public void failed(Exception cause) {
      // the exchange handler reports the failure to the future
    }

    @Override
    public void releaseResources() {}
  }
}
