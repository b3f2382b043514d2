package io.staticlet.app.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.probe.ProbeResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gRPC prober against a tiny gRPC health server: Vert.x's HTTP/2 server with cleartext prior
 * knowledge, answering {@code grpc.health.v1.Health/Check} the way grpc-go does (headers, one
 * length-prefixed message, {@code grpc-status} trailer).
 */
class GrpcHealthProberTest {
  private static Vertx vertx;
  private static HttpServer server;

  /**
   * Serving status by service name; a missing name answers NOT_FOUND like grpc-go's health server.
   */
  private static final Map<String, Integer> statuses = new ConcurrentHashMap<>();

  private static final List<String> seen = new CopyOnWriteArrayList<>();
  private static volatile boolean unimplemented;
  private static volatile boolean silent;

  private final GrpcHealthProber prober = new GrpcHealthProber();

  @BeforeAll
  static void startServer() throws Exception {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(true))
            .requestHandler(GrpcHealthProberTest::answer);
    server
        .listen(0, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopServer() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void answer(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              seen.add(
                  request.version()
                      + " "
                      + request.method()
                      + " "
                      + request.path()
                      + " te="
                      + request.getHeader("te")
                      + " content-type="
                      + request.getHeader("content-type")
                      + " service="
                      + service(body.getBytes()));
              if (silent) {
                return; // never answers
              }
              var response = request.response().putHeader("content-type", "application/grpc");
              if (unimplemented) {
                response
                    .putHeader("grpc-status", "12")
                    .putHeader("grpc-message", "unknown service grpc.health.v1.Health")
                    .end();
                return;
              }
              Integer status = statuses.get(service(body.getBytes()));
              if (status == null) {
                response
                    .putTrailer("grpc-status", "5")
                    .putTrailer("grpc-message", "unknown service")
                    .end();
                return;
              }
              byte[] message = {0, 0, 0, 0, 2, 0x08, (byte) (int) status};
              response.putTrailer("grpc-status", "0").end(Buffer.buffer(message));
            });
  }

  /** Decodes HealthCheckRequest.service from a request frame. */
  private static String service(byte[] frame) {
    if (frame.length <= 5) {
      return "";
    }
    byte[] message = Arrays.copyOfRange(frame, 5, frame.length);
    return message[0] == 0x0a ? new String(message, 2, message[1], StandardCharsets.UTF_8) : "?";
  }

  private ProbeResult check(String service) {
    return prober.check("127.0.0.1", server.actualPort(), service, Duration.ofSeconds(2));
  }

  @Test
  void servingIsSuccessOverHttp2WithTheGrpcHeaders() {
    statuses.put("", 1);
    unimplemented = false;
    silent = false;

    assertEquals(ProbeResult.success(), check(""), seen.toString());
    assertTrue(
        seen.contains(
            "HTTP_2 POST /grpc.health.v1.Health/Check te=trailers content-type=application/grpc service="),
        seen.toString());
  }

  @Test
  void theServiceNameIsSentAndItsStatusJudged() {
    statuses.put("db", 2);
    statuses.put("cache", 1);
    unimplemented = false;
    silent = false;

    assertEquals(
        ProbeResult.failure("service unhealthy (responded with \"NOT_SERVING\")"), check("db"));
    assertEquals(ProbeResult.success(), check("cache"));
    assertTrue(seen.stream().anyMatch(s -> s.endsWith("service=db")), seen.toString());
  }

  @Test
  void anUnknownServiceFailsWithTheGrpcError() {
    unimplemented = false;
    silent = false;

    ProbeResult result = check("nope");

    assertFalse(result.succeeded());
    assertEquals("health rpc failed: code = 5 desc = unknown service", result.message());
  }

  @Test
  void aServerWithoutTheHealthServiceFailsClearly() {
    unimplemented = true;
    silent = false;

    ProbeResult result = check("");

    assertFalse(result.succeeded());
    assertTrue(
        result.message().startsWith("this server does not implement the grpc health protocol"),
        result.message());
  }

  @Test
  void aServerThatDoesNotAnswerFailsAfterTheTimeout() {
    unimplemented = false;
    silent = true;
    long start = System.nanoTime();

    ProbeResult result = prober.check("127.0.0.1", server.actualPort(), "", Duration.ofSeconds(1));

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    silent = false;
    assertEquals(ProbeResult.failure("timeout: health rpc did not complete within 1s"), result);
    assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, took.toString());
  }

  @Test
  void nothingListeningFails() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }

    ProbeResult result = prober.check("127.0.0.1", closed, "", Duration.ofSeconds(1));

    assertFalse(result.succeeded());
    assertTrue(result.message().contains("127.0.0.1:" + closed), result.message());
  }
}
