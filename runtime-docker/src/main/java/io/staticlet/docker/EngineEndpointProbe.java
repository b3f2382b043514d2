package io.staticlet.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks an engine endpoint for Docker's {@code GET /_ping} before the agent relies on it, so that a
 * socket of another runtime (containerd's {@code unix:///run/containerd/containerd.sock}, CRI-O's:
 * their gRPC servers hang up on an HTTP/1.1 request) gets one clear error at start-up instead of
 * endless failing calls. An endpoint that cannot be reached or stays silent is {@link
 * Verdict#UNREACHABLE}: the engine may start or recover later, as it may for the kubelet.
 */
public final class EngineEndpointProbe {
  public enum Verdict {
    DOCKER,
    NOT_DOCKER,
    UNREACHABLE
  }

  /** What the probe found; {@code detail} says what answered (or failed) in words. */
  public record Result(Verdict verdict, String detail) {}

  private static final byte[] REQUEST =
      "GET /_ping HTTP/1.1\r\nHost: docker\r\nUser-Agent: staticlet\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_RESPONSE = 4096;

  private EngineEndpointProbe() {}

  public static Result probe(String endpoint, Duration timeout) {
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      return new Result(Verdict.NOT_DOCKER, "not a URL: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    byte[] response;
    try {
      response =
          switch (scheme) {
            case "unix" -> unix(uri.getPath(), timeout);
            case "tcp", "http" ->
                tcp(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort(), timeout);
            default -> null;
          };
    } catch (IOException e) {
      return new Result(Verdict.UNREACHABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    if (response == null) {
      return new Result(Verdict.UNREACHABLE, "scheme \"" + scheme + "\" not probed");
    }
    return judge(response);
  }

  /** Docker answers {@code 200} with an {@code Api-Version} header (and the body {@code OK}). */
  static Result judge(byte[] response) {
    String text = new String(response, StandardCharsets.ISO_8859_1);
    if (text.isEmpty()) {
      return new Result(
          Verdict.NOT_DOCKER,
          "the endpoint closed the connection without an HTTP answer "
              + "(a gRPC/CRI socket does that)");
    }
    String firstLine = text.lines().findFirst().orElse("");
    boolean ok = firstLine.startsWith("HTTP/1.") && firstLine.contains(" 200");
    boolean apiVersion = text.toLowerCase(Locale.ROOT).contains("\napi-version:");
    if (ok && apiVersion) {
      return new Result(Verdict.DOCKER, firstLine);
    }
    String printable = firstLine.replaceAll("[^\\x20-\\x7e]", "?");
    return new Result(
        Verdict.NOT_DOCKER,
        "GET /_ping answered \""
            + (printable.length() > 60 ? printable.substring(0, 60) + "..." : printable)
            + "\" without Docker's Api-Version header");
  }

  private static byte[] unix(String path, Duration timeout) throws IOException {
    SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path));
    CompletableFuture<byte[]> exchange =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                channel.write(ByteBuffer.wrap(REQUEST));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteBuffer buffer = ByteBuffer.allocate(1024);
                while (out.size() < MAX_RESPONSE && channel.read(buffer) > 0) {
                  out.write(buffer.array(), 0, buffer.position());
                  buffer.clear();
                  if (headersComplete(out)) {
                    break;
                  }
                }
                return out.toByteArray();
              } catch (IOException e) {
                return new byte[0]; // reset by the peer: it did not speak HTTP/1.1
              }
            });
    try {
      return exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // connected but silent: a stuck engine is not a wrong one (DECISIONS.md 26); gRPC hangs up at
      // once
      throw new IOException("no answer within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause());
    } finally {
      channel.close();
    }
  }

  private static byte[] tcp(String host, int port, Duration timeout) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(REQUEST);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      byte[] buffer = new byte[1024];
      try {
        for (int n = in.read(buffer);
            n > 0 && response.size() < MAX_RESPONSE;
            n = in.read(buffer)) {
          response.write(buffer, 0, n);
          if (headersComplete(response)) {
            break;
          }
        }
      } catch (SocketTimeoutException silent) {
        if (response.size() == 0) {
          throw silent; // a stuck engine is not a wrong one
        }
      } catch (IOException reset) {
        // what arrived so far is judged: nothing at all means the peer hung up on HTTP/1.1
      }
      return response.toByteArray();
    }
  }

  private static boolean headersComplete(ByteArrayOutputStream out) {
    return new String(out.toByteArray(), StandardCharsets.ISO_8859_1).contains("\r\n\r\n");
  }
}
