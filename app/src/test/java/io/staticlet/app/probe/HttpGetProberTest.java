package io.staticlet.app.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.probe.ProbeAction;
import io.staticlet.core.probe.ProbeResult;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpGetProberTest {
  private final TestHttpServer server = new TestHttpServer();
  private final HttpGetProber prober = new HttpGetProber(Executors.newCachedThreadPool());

  @AfterEach
  void stop() {
    server.close();
  }

  private ProbeAction.HttpGet get(String path, ProbeAction.Header... headers) {
    return new ProbeAction.HttpGet("HTTP", "", server.port(), path, List.of(headers));
  }

  private ProbeResult probe(String path, ProbeAction.Header... headers) {
    return prober.probe(get(path, headers), "127.0.0.1", Duration.ofSeconds(2));
  }

  @Test
  void twoHundredsAndUnfollowedThreeHundredsSucceed() {
    server.route("/ok", 200).route("/created", 204).route("/not-modified", 304);

    assertTrue(probe("/ok").succeeded());
    assertTrue(probe("/created").succeeded());
    assertTrue(probe("/not-modified").succeeded());
  }

  @Test
  void otherStatusesFailWithTheStatusCode() {
    server.route("/broken", 500);

    assertEquals(ProbeResult.failure("HTTP probe failed with statuscode: 500"), probe("/broken"));
    assertEquals(ProbeResult.failure("HTTP probe failed with statuscode: 404"), probe("/missing"));
  }

  @Test
  void followsRedirectsOnTheSameHostAndJudgesWhereTheyEnd() {
    server
        .redirect("/old", 302, "/new")
        .route("/new", 200)
        .redirect("/moved-to-broken", 301, "/broken")
        .route("/broken", 503);

    assertTrue(probe("/old").succeeded());
    assertEquals(
        ProbeResult.failure("HTTP probe failed with statuscode: 503"), probe("/moved-to-broken"));
    assertTrue(
        server.paths.containsAll(List.of("/old", "/new", "/moved-to-broken", "/broken")),
        server.paths.toString());
  }

  @Test
  void aRedirectToAnotherHostIsNotFollowedAndCountsAsSuccessWithAWarning() {
    server.redirect("/away", 302, "http://elsewhere.invalid/health");

    ProbeResult result = probe("/away");

    assertTrue(result.succeeded());
    assertTrue(result.message().contains("elsewhere.invalid"), result.message());
  }

  @Test
  void stopsAfterTenRedirects() {
    server.redirect("/loop", 302, "/loop");

    ProbeResult result = probe("/loop");

    assertFalse(result.succeeded());
    assertTrue(result.message().contains("stopped after 10 redirects"), result.message());
    assertEquals(10, server.paths.size());
  }

  @Test
  void sendsTheKubeletsDefaultHeadersAndTheProbesOwnIncludingHost() {
    server.route("/h", 200);

    probe(
        "/h?verbose=1",
        new ProbeAction.Header("X-Custom", "42"),
        new ProbeAction.Header("Host", "web.example"));

    Map<String, List<String>> headers = server.requestHeaders.get(0);
    assertEquals(List.of("kube-probe/1.20"), headers.get("User-agent"));
    assertEquals(List.of("*/*"), headers.get("Accept"));
    assertEquals(List.of("42"), headers.get("X-custom"));
    assertEquals(List.of("web.example"), headers.get("Host"));
    assertEquals("/h?verbose=1", server.paths.get(0));
  }

  @Test
  void theProbesUserAgentWins() {
    server.route("/h", 200);

    probe("/h", new ProbeAction.Header("User-Agent", "mine"));

    assertEquals(List.of("mine"), server.requestHeaders.get(0).get("User-agent"));
  }

  @Test
  void aRefusedConnectionFails() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }

    ProbeResult result =
        prober.probe(
            new ProbeAction.HttpGet("HTTP", "", closed, "/", List.of()),
            "127.0.0.1",
            Duration.ofSeconds(2));

    assertFalse(result.succeeded());
    assertTrue(result.message().contains("connection refused"), result.message());
  }

  @Test
  void aServerThatDoesNotAnswerFailsAfterTheTimeout() {
    server.hang("/slow");
    long start = System.nanoTime();

    ProbeResult result = prober.probe(get("/slow"), "127.0.0.1", Duration.ofSeconds(1));

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertFalse(result.succeeded());
    assertTrue(result.message().contains("timed out after 1s"), result.message());
    assertTrue(
        took.compareTo(Duration.ofMillis(900)) >= 0 && took.compareTo(Duration.ofSeconds(5)) < 0,
        took.toString());
  }

  @Test
  void hooksSucceedOnAnyResponseAndFailOnlyWhenTheRequestDoesNotGoThrough() throws Exception {
    server.route("/broken", 500);
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }

    assertEquals(Optional.empty(), prober.hook(get("/broken"), "127.0.0.1", Duration.ofSeconds(2)));
    Optional<String> refused =
        prober.hook(
            new ProbeAction.HttpGet("HTTP", "", closed, "/", List.of()),
            "127.0.0.1",
            Duration.ofSeconds(2));
    assertTrue(refused.orElse("").contains("connection refused"), refused.toString());
  }
}
