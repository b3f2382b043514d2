package io.staticlet.app.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.staticlet.app.http.AgentHttpServer.Response;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AgentHttpServerTest {
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final List<Socket> sockets = new ArrayList<>();
  private AgentHttpServer server;

  @AfterEach
  void tearDown() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
    executor.shutdownNow();
  }

  @Test
  void aClientStalledInItsHeadersIsCutOffAndItsThreadServesOthers() throws Exception {
    server =
        new AgentHttpServer(
            "127.0.0.1", 0, Map.of("/healthz", () -> Response.text(200, "ok")), executor);
    server.start();
    for (int i = 0; i < 2; i++) {
      sockets.add(stalled(server.port()));
    }
    // both threads are held by the stalled clients; the server must cut them off and answer
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals("ok", answer.body());
    await("stalled connections closed by the server")
        .atMost(Duration.ofSeconds(60))
        .until(() -> sockets.stream().allMatch(AgentHttpServerTest::closedByPeer));
  }

  /** Connects and sends half a request: the request line and one header, never the blank line. */
  static Socket stalled(int port) throws Exception {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    OutputStream out = s.getOutputStream();
    out.write("GET /pods HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return s;
  }

  private static boolean closedByPeer(Socket s) {
    try {
      s.setSoTimeout(100);
      InputStream in = s.getInputStream();
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (Exception e) {
      return true;
    }
  }
}
