package io.staticlet.app.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * A small HTTP server for the agent's endpoints (JDK {@code HttpServer}: no dependency, measured
 * enough in docs/ecosystem.md B.6). Only GET; unknown paths give 404.
 *
 * <p>A client that stalls in the middle of its request or never reads the response holds one of the
 * executor's threads; the JDK server closes such a connection after {@link #REQUEST_TIMEOUT} (its
 * {@code sun.net.httpserver.maxReqTime}/{@code maxRspTime}, set here unless the operator set them),
 * and each server gets its own executor, so stalled clients of one port never starve another.
 */
public final class AgentHttpServer implements AutoCloseable {
  /** How long one request may take to arrive, and its response to be read. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  static {
    applyRequestTimeouts();
  }

  /**
   * Sets the JDK server's request and response timeouts unless the operator did. The JDK reads them
   * once per JVM, when the first {@code HttpServer} is created, so {@code main} calls this first.
   */
  public static void applyRequestTimeouts() {
    System.setProperty(
        "sun.net.httpserver.maxReqTime",
        System.getProperty(
            "sun.net.httpserver.maxReqTime", String.valueOf(REQUEST_TIMEOUT.toSeconds())));
    System.setProperty(
        "sun.net.httpserver.maxRspTime",
        System.getProperty(
            "sun.net.httpserver.maxRspTime", String.valueOf(REQUEST_TIMEOUT.toSeconds())));
  }

  /** A response: status code, content type, body. */
  public record Response(int status, String contentType, byte[] body) {
    public static Response text(int status, String text) {
      return new Response(
          status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    public static Response json(byte[] body) {
      return new Response(200, "application/json", body);
    }
  }

  private final HttpServer server;

  public AgentHttpServer(
      String bindAddress,
      int port,
      Map<String, Supplier<Response>> routes,
      ExecutorService executor)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(bindAddress, port), 64);
    for (var route : routes.entrySet()) {
      server.createContext(route.getKey(), handler(route.getKey(), route.getValue()));
    }
    server.setExecutor(executor);
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static HttpHandler handler(String path, Supplier<Response> route) {
    return exchange -> {
      try (exchange) {
        if (!exchange.getRequestURI().getPath().equals(path)) {
          send(exchange, Response.text(404, "404 page not found\n"));
        } else if (!"GET".equals(exchange.getRequestMethod())
            && !"HEAD".equals(exchange.getRequestMethod())) {
          send(exchange, Response.text(405, "method not allowed\n"));
        } else {
          Response response;
          try {
            response = route.get();
          } catch (RuntimeException e) {
            response = Response.text(500, "internal error: " + e.getMessage() + "\n");
          }
          send(exchange, response);
        }
      }
    };
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", response.contentType());
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(response.status(), head ? -1 : response.body().length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response.body());
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
