package io.staticlet.app.kubeletapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.staticlet.app.config.KubeletApiConfig;
import io.staticlet.core.container.SandboxSpecs;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.testing.FakeContainerRuntime;
import io.staticlet.core.testing.ManualClock;
import io.staticlet.core.testing.ManualScheduler;
import io.staticlet.core.testing.TestLaunches;
import io.staticlet.core.testing.TestPods;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubelet API over real TLS on a free port: authentication, authorization and routes as a
 * client sees them.
 */
class KubeletApiServerTest {
  @TempDir Path root;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final FakeContainerRuntime runtime = new FakeContainerRuntime(clock);
  private final ExecutorService workers = Executors.newCachedThreadPool();
  private final StaticPod web = TestPods.pod("web").container("app", "busybox").build();
  private final List<String> streamedUsers = new CopyOnWriteArrayList<>();
  private KubeletApi api;

  /**
   * Token {@code good} is alice, {@code broken} a user whose review fails; reviews answer {@link
   * #allow}.
   */
  private final AtomicInteger reviews = new AtomicInteger();

  private final AtomicBoolean allow = new AtomicBoolean(true);
  private final AccessReviews access =
      new AccessReviews() {
        @Override
        public Optional<RequestUser> reviewToken(String token) {
          return switch (token) {
            case "good" -> Optional.of(new RequestUser("alice", List.of("devs")));
            case "broken" -> Optional.of(new RequestUser("broken", List.of()));
            default -> Optional.empty();
          };
        }

        @Override
        public boolean reviewAccess(RequestUser user, RequestAttributes a) {
          reviews.incrementAndGet();
          if (user.name().equals("broken")) {
            throw new IllegalStateException("API server down");
          }
          return allow.get();
        }
      };

  @AfterEach
  void stop() {
    if (api != null) {
      api.close();
    }
    workers.shutdownNow();
  }

  private final ManualScheduler scheduler = new ManualScheduler(clock);

  private void start(boolean anonymous, boolean webhook, boolean debugging) {
    start(anonymous, webhook, debugging, null);
  }

  private void start(boolean anonymous, boolean webhook, boolean debugging, Path clientCa) {
    KubeletApiConfig config =
        new KubeletApiConfig(
            0,
            null,
            null,
            clientCa,
            anonymous,
            true,
            Duration.ofMinutes(2),
            webhook ? KubeletApiConfig.WEBHOOK : KubeletApiConfig.ALWAYS_ALLOW,
            Duration.ofMinutes(5),
            Duration.ofSeconds(30),
            debugging);
    ContainerLocator locator =
        new ContainerLocator(
            key -> key.equals(web.key()) ? Optional.of(web) : Optional.empty(), runtime);
    KubeletApiRoutes routes =
        new KubeletApiRoutes(
                () -> KubeletApiRoutes.health(true, ""),
                    () -> KubeletApiRoutes.health(false, "sync loop stopped"),
                () -> "{\"kind\":\"PodList\"}".getBytes(StandardCharsets.UTF_8), () -> "metric 1\n")
            .withContainerLogs(locator, runtime, clock)
            .withConfigz("{\"kubeletconfig\":{}}");
    StreamingEndpoint streaming =
        (ctx, request, user) -> {
          streamedUsers.add(user);
          Responses.send(ctx, request, Responses.text(HttpResponseStatus.OK, "streamed"));
        };
    api =
        new KubeletApi(
            config,
            "127.0.0.1",
            "node1",
            List.of("127.0.0.1"),
            root.resolve("pki"),
            access,
            routes,
            streaming,
            workers,
            scheduler,
            Executors.defaultThreadFactory(),
            clock);
    api.start();
  }

  /** What the client saw. */
  record Answer(int statusCode, String body, String contentType) {}

  private Answer get(String path, String... headers) throws Exception {
    return send("GET", path, headers);
  }

  /**
   * One request with HttpsURLConnection (not java.net.http: its restricted-header setting is read
   * once per JVM, and the HTTP prober's tests need theirs).
   */
  private Answer send(String method, String path, String... headers) throws Exception {
    HttpsURLConnection c =
        (HttpsURLConnection)
            URI.create("https://127.0.0.1:" + api.port() + path).toURL().openConnection();
    c.setSSLSocketFactory(trustAll().getSocketFactory());
    c.setHostnameVerifier((host, session) -> true);
    c.setRequestMethod(method);
    c.setConnectTimeout(20_000);
    c.setReadTimeout(20_000);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      c.setRequestProperty(headers[i], headers[i + 1]);
    }
    int status = c.getResponseCode();
    InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
    String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    return new Answer(status, body, c.getContentType());
  }

  private static SSLContext trustAll() throws Exception {
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(
        null,
        new TrustManager[] {
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        new SecureRandom());
    return ssl;
  }

  @Test
  void anonymousWithAlwaysAllowReadsEverythingAndSelfSignsOnce() throws Exception {
    start(true, false, true);

    assertEquals("ok", get("/healthz").body());
    assertEquals("ok", get("/healthz/ping").body());
    assertEquals(500, get("/healthz/syncloop").statusCode());
    Answer pods = get("/pods");
    assertEquals(200, pods.statusCode());
    assertEquals("application/json", pods.contentType());
    assertEquals("metric 1\n", get("/metrics").body());
    assertEquals("{\"kubeletconfig\":{}}", get("/configz").body());
    assertEquals(404, get("/nope").statusCode());
    assertTrue(root.resolve("pki/kubelet.crt").toFile().isFile());
  }

  @Test
  void aMissingClientCaKeepsTheApiDownUntilItAppears() throws Exception {
    Path ca = root.resolve("later/ca.crt");
    start(true, false, true, ca);
    assertEquals(-1, api.port());

    ServingCertificate.selfSigned(root.resolve("ca-pki"), "ca", List.of(), clock);
    Files.createDirectories(ca.getParent());
    Files.copy(root.resolve("ca-pki/kubelet.crt"), ca);
    scheduler.advance(KubeletApi.BIND_RETRY);

    assertEquals("ok", get("/healthz").body());
  }

  @Test
  void noCredentialsWithoutAnonymousIs401AndARejectedTokenToo() throws Exception {
    start(false, true, true);

    Answer r = get("/pods");
    assertEquals(401, r.statusCode());
    assertEquals("Unauthorized", r.body());
    assertEquals(401, get("/pods", "Authorization", "Bearer bad").statusCode());
    assertEquals(200, get("/pods", "Authorization", "Bearer good").statusCode());
  }

  @Test
  void aDeniedReviewIs403WithTheKubeletsMessageAndIsCachedForItsTtl() throws Exception {
    start(true, true, true);
    allow.set(false);

    Answer r = send("POST", "/exec/default/web-node1/app?command=true");
    assertEquals(403, r.statusCode());
    assertEquals(
        "Forbidden (user=system:anonymous, verb=create, resource=nodes, subresource=proxy)",
        r.body());
    assertEquals(
        "Forbidden (user=system:anonymous, verb=get, resource=nodes, subresource=stats)",
        get("/stats/summary").body());
    assertEquals(2, reviews.get());

    allow.set(true);
    assertEquals(
        403,
        send("POST", "/exec/default/web-node1/app?command=true").statusCode(),
        "denied answer cached");
    clock.advance(Duration.ofSeconds(31));
    assertEquals(200, send("POST", "/exec/default/web-node1/app?command=true").statusCode());
    assertEquals(List.of("system:anonymous"), streamedUsers);
    assertEquals(200, send("POST", "/exec/default/web-node1/app?command=true").statusCode());
    assertEquals(3, reviews.get(), "allowed answer cached");
  }

  @Test
  void anAuthorizerErrorIs500() throws Exception {
    start(false, true, true);

    Answer r = get("/pods", "Authorization", "Bearer broken");
    assertEquals(500, r.statusCode());
    assertEquals(
        "Authorization error (user=broken, verb=get, resource=nodes, subresource=proxy)", r.body());
  }

  @Test
  void debuggingHandlersOffAre405AndConfigzIsGone() throws Exception {
    start(true, false, false);

    Answer r = get("/containerLogs/default/web/app");
    assertEquals(405, r.statusCode());
    assertEquals("Debug endpoints are disabled.\n", r.body());
    assertEquals(405, send("POST", "/exec/default/web/app").statusCode());
    assertEquals(405, send("POST", "/portForward/default/web").statusCode());
    assertEquals(404, get("/configz").statusCode());
    assertEquals(200, get("/pods").statusCode());
  }

  @Test
  void containerLogsOfTheCurrentAndThePreviousInstance() throws Exception {
    start(true, false, true);
    String sandbox = runtime.startSandbox(SandboxSpecs.of(web, 0));
    String first =
        runtime.createContainer(
            TestLaunches.create()
                .resolve(
                    web,
                    web.pod().getSpec().getContainers().get(0),
                    ContainerRole.APP,
                    0,
                    sandbox,
                    "",
                    runtime.hostIp()));
    runtime.start(first);
    runtime.log(first, false, "one");
    runtime.log(first, true, "two");
    runtime.exit(first, 1);
    String path = "/containerLogs/default/" + web.key().name() + "/app";
    assertEquals(400, get(path + "?previous=true").statusCode());
    assertEquals("one\ntwo\n", get(path).body());

    String second =
        runtime.createContainer(
            TestLaunches.create()
                .resolve(
                    web,
                    web.pod().getSpec().getContainers().get(0),
                    ContainerRole.APP,
                    1,
                    sandbox,
                    "",
                    runtime.hostIp()));
    runtime.start(second);
    clock.advance(Duration.ofSeconds(10));
    runtime.log(second, false, "three");
    runtime.log(second, false, "four");

    assertEquals("three\nfour\n", get(path).body());
    assertEquals("one\ntwo\n", get(path + "?previous=true").body());
    assertEquals("four\n", get(path + "?tailLines=1").body());
    assertEquals("four\n", get(path + "?tail=1").body());
    assertEquals("three\nfour\n", get(path + "?tail=all").body());
    assertEquals("thr", get(path + "?limitBytes=3").body());
    assertEquals("2026-01-01T00:00:10Z four\n", get(path + "?timestamps=true&tailLines=1").body());
    assertEquals("three\nfour\n", get(path + "?sinceSeconds=5").body());
    assertEquals("", get(path + "?sinceTime=2026-01-01T00:00:11Z").body());

    Answer invalid = get(path + "?tailLines=-1");
    assertEquals(422, invalid.statusCode());
    assertEquals("{\"message\": \"Invalid request.\"}", invalid.body());
    assertEquals(400, get(path + "?tailLines=x").statusCode());
    Answer noPod = get("/containerLogs/default/other/app");
    assertEquals(404, noPod.statusCode());
    assertEquals("pod \"other\" does not exist", noPod.body());
    Answer noContainer = get("/containerLogs/default/" + web.key().name() + "/nope");
    assertEquals(404, noContainer.statusCode());
    assertEquals(
        "container \"nope\" not found in pod \"" + web.key().name() + "\"", noContainer.body());
  }
}
