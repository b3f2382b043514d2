package io.staticlet.e2e.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.testkit.AgentProcess;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fault 7: three clients stalled on the read-only port do not starve /healthz. */
class StalledHttpClientsFaultIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  @TempDir Path work;
  private final List<Socket> stalled = new ArrayList<>();
  private final FaultNode faultNode = new FaultNode();
  private AgentProcess agent;

  @AfterEach
  void tearDown() throws Exception {
    for (Socket s : stalled) {
      s.close();
    }
    faultNode.close();
  }

  @Test
  void healthzAnswersWithinOneSecondWhileThreeClientsStallOnTheReadOnlyPort() throws Exception {
    Path manifests = Files.createDirectories(work.resolve("manifests"));
    agent = faultNode.start(new AgentProcess(faultNode.name, manifests, work, List.of()));
    get(agent.healthzPort(), "/healthz"); // warm both paths before measuring
    get(agent.readOnlyPort(), "/healthz");

    for (int i = 0; i < 3; i++) {
      Socket s = new Socket();
      s.connect(new InetSocketAddress("127.0.0.1", agent.readOnlyPort()), 5_000);
      OutputStream out = s.getOutputStream();
      out.write(
          "GET /pods HTTP/1.1\r\nHost: x\r\n"
              .getBytes(StandardCharsets.US_ASCII)); // never the blank line
      out.flush();
      stalled.add(s);
    }
    for (int round = 0; round < 3; round++) {
      long t0 = System.nanoTime();
      HttpResponse<String> healthz = get(agent.healthzPort(), "/healthz");
      long healthzMillis = (System.nanoTime() - t0) / 1_000_000;
      t0 = System.nanoTime();
      HttpResponse<String> readOnly = get(agent.readOnlyPort(), "/healthz");
      long readOnlyMillis = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf(
          "round %d with 3 stalled clients: healthz port /healthz %d ms, read-only port /healthz %d ms%n",
          round, healthzMillis, readOnlyMillis);
      assertEquals("ok", healthz.body());
      assertEquals("ok", readOnly.body());
      assertTrue(
          healthzMillis < 1000 && readOnlyMillis < 1000,
          healthzMillis + " ms / " + readOnlyMillis + " ms");
    }
  }

  /** Fails (timeout) when no answer comes within one second. */
  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(1))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
