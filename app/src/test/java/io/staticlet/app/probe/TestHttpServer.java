package io.staticlet.app.probe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/** A local HTTP server whose routes answer a fixed status (and Location), or hang until closed. */
final class TestHttpServer implements AutoCloseable {
  record Route(int status, String location) {}

  private final HttpServer server;
  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  final List<Map<String, List<String>>> requestHeaders = new CopyOnWriteArrayList<>();
  final List<String> paths = new CopyOnWriteArrayList<>();

  TestHttpServer() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  TestHttpServer route(String path, int status) {
    routes.put(path, new Route(status, null));
    return this;
  }

  TestHttpServer redirect(String path, int status, String location) {
    routes.put(path, new Route(status, location));
    return this;
  }

  /** Requests to {@code path} get no answer until the server closes. */
  TestHttpServer hang(String path) {
    routes.put(path, new Route(-1, null));
    return this;
  }

  private void handle(HttpExchange exchange) throws IOException {
    paths.add(exchange.getRequestURI().toString());
    requestHeaders.add(Map.copyOf(exchange.getRequestHeaders()));
    Route route = routes.getOrDefault(exchange.getRequestURI().getPath(), new Route(404, null));
    if (route.status() < 0) {
      try {
        closing.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    if (route.location() != null) {
      exchange.getResponseHeaders().add("Location", route.location());
    }
    byte[] body = ("status " + route.status()).getBytes();
    exchange.sendResponseHeaders(route.status(), body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
  }
}
