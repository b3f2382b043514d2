package io.staticlet.app.probe;

import io.staticlet.app.tls.AcceptAnyCertificate;
import io.staticlet.core.probe.ProbeAction;
import io.staticlet.core.probe.ProbeResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * {@code httpGet} probes and hooks with the JDK's HTTP client, the kubelet's way: HTTPS without
 * certificate checks, {@code User-Agent: kube-probe/1.20} and {@code Accept: *}{@code /*} unless
 * the probe sets them, a {@code Host} header overrides the host, {@code Connection: close} (the
 * kubelet disables keep-alive, so no idle sockets to containers that come and go), redirects
 * followed by hand up to 10 times while they stay on the same host. Thread-safe; blocks at most
 * about the timeout.
 */
final class HttpGetProber {
  static final String USER_AGENT = "kube-probe/1.20";
  private static final int MAX_REDIRECTS = 10;

  static {
    // Host and Connection are "restricted" in java.net.http unless allowed before its first use
    if (System.getProperty("jdk.httpclient.allowRestrictedHeaders") == null) {
      System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host,connection");
    }
  }

  private final HttpClient client;

  HttpGetProber(Executor clientExecutor) {
    this.client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(trustAll())
            .executor(clientExecutor)
            .build();
  }

  /**
   * A probe: 2xx and 3xx succeed (a redirect to another host with a warning), anything else fails.
   */
  ProbeResult probe(ProbeAction.HttpGet action, String host, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    URI uri;
    try {
      uri = uri(action, host);
    } catch (URISyntaxException e) {
      return ProbeResult.failure("invalid probe URL: " + e.getMessage());
    }
    for (int redirects = 0; ; redirects++) {
      Duration left = Duration.ofNanos(deadline - System.nanoTime());
      Outcome outcome = get(uri, action, left, timeout);
      if (outcome.error != null) {
        return ProbeResult.failure(outcome.error);
      }
      int code = outcome.status;
      if (code >= 200 && code < 300) {
        return ProbeResult.success();
      }
      if (code < 300 || code >= 400) {
        return ProbeResult.failure("HTTP probe failed with statuscode: " + code);
      }
      Optional<URI> next = outcome.location.map(uri::resolve);
      if (next.isEmpty()) {
        return ProbeResult.success(); // a 3xx without Location is final, and 3xx is success
      }
      if (!sameHost(uri, next.get())) {
        return ProbeResult.warning(
            "probe terminated redirects to " + next.get() + ", response code " + code);
      }
      if (redirects + 1 >= MAX_REDIRECTS) {
        return ProbeResult.failure(
            "GET " + uri + ": stopped after " + MAX_REDIRECTS + " redirects");
      }
      uri = next.get();
    }
  }

  /**
   * A hook: any HTTP response is success (the kubelet checks only that the request went through).
   */
  Optional<String> hook(ProbeAction.HttpGet action, String host, Duration timeout) {
    URI uri;
    try {
      uri = uri(action, host);
    } catch (URISyntaxException e) {
      return Optional.of("invalid hook URL: " + e.getMessage());
    }
    Outcome outcome = get(uri, action, timeout, timeout);
    return Optional.ofNullable(outcome.error);
  }

  private record Outcome(int status, Optional<String> location, String error) {}

  private Outcome get(URI uri, ProbeAction.HttpGet action, Duration left, Duration timeout) {
    if (left.isNegative() || left.isZero()) {
      return new Outcome(0, Optional.empty(), timedOut(uri, timeout));
    }
    HttpRequest request;
    try {
      request = request(uri, action, left);
    } catch (IllegalArgumentException e) {
      return new Outcome(0, Optional.empty(), "invalid request header: " + e.getMessage());
    }
    try {
      HttpResponse<InputStream> response =
          client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        // the status is all a probe needs; closing at once also bounds the time spent on the body
      } catch (IOException ignored) {
        // the body is not read
      }
      return new Outcome(response.statusCode(), response.headers().firstValue("location"), null);
    } catch (HttpTimeoutException e) {
      return new Outcome(0, Optional.empty(), timedOut(uri, timeout));
    } catch (ConnectException e) {
      return new Outcome(0, Optional.empty(), "GET " + uri + ": connection refused");
    } catch (IOException e) {
      return new Outcome(0, Optional.empty(), "GET " + uri + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(0, Optional.empty(), "GET " + uri + ": interrupted");
    }
  }

  private static HttpRequest request(URI uri, ProbeAction.HttpGet action, Duration timeout) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET().timeout(timeout);
    boolean userAgent = false;
    boolean accept = false;
    boolean connection = false;
    for (ProbeAction.Header h : action.headers()) {
      String name = h.name().toLowerCase(Locale.ROOT);
      userAgent |= name.equals("user-agent");
      accept |= name.equals("accept");
      connection |= name.equals("connection");
      b.header(h.name(), h.value());
    }
    if (!userAgent) {
      b.header("User-Agent", USER_AGENT);
    }
    if (!accept) {
      b.header("Accept", "*/*");
    }
    if (!connection) {
      try {
        b.header("Connection", "close");
      } catch (IllegalArgumentException restricted) {
        // java.net.http was initialised before we could allow it: keep-alive then, harmless
      }
    }
    return b.build();
  }

  static URI uri(ProbeAction.HttpGet action, String host) throws URISyntaxException {
    String scheme = action.https() ? "https" : "http";
    String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    String path = action.path();
    try {
      return new URI(scheme + "://" + hostPart + ":" + action.port() + path);
    } catch (URISyntaxException e) {
      int q = path.indexOf('?');
      return new URI(
          scheme,
          null,
          host,
          action.port(),
          q < 0 ? path : path.substring(0, q),
          q < 0 ? null : path.substring(q + 1),
          null);
    }
  }

  private static boolean sameHost(URI a, URI b) {
    return a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost());
  }

  private static String timedOut(URI uri, Duration timeout) {
    return "GET " + uri + ": timed out after " + timeout.toSeconds() + "s";
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    if (message == null && e.getCause() != null) {
      message = e.getCause().toString();
    }
    return message == null ? e.getClass().getSimpleName() : message;
  }

  /** The kubelet probes HTTPS with {@code InsecureSkipVerify}: no chain, no host name check. */
  private static SSLContext trustAll() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new AcceptAnyCertificate()}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS for probes", e);
    }
  }
}
