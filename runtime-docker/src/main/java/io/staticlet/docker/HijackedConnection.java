package io.staticlet.docker;

import io.staticlet.core.runtime.ContainerNotFoundException;
import io.staticlet.core.runtime.RuntimeUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A full-duplex connection to the engine taken over after {@code Upgrade: tcp} (the engine's
 * "hijacked" exec and attach streams). docker-java's httpclient5 transport can send stdin but never
 * half-closes the connection at its end, so a command reading stdin to EOF ({@code cat}) would
 * never finish: this class speaks the one request itself and half-closes the socket on {@link
 * #closeOutput()}, as the docker CLI does. Reads and writes may run on different threads.
 */
final class HijackedConnection implements AutoCloseable {
  private static final int MAX_HEADER_BYTES = 64 * 1024;

  private final SocketChannel channel;
  private final ByteBuffer leftover;

  private HijackedConnection(SocketChannel channel, ByteBuffer leftover) {
    this.channel = channel;
    this.leftover = leftover;
  }

  /**
   * Sends {@code POST path} with a JSON body (none for attach: the engine would pass it to stdin)
   * to the engine at {@code endpoint} ({@code unix://} or {@code tcp://}) and returns the upgraded
   * connection.
   *
   * @throws ContainerNotFoundException on 404
   * @throws RuntimeUnavailableException when the engine cannot be reached or refuses
   */
  static HijackedConnection open(String endpoint, String path, String jsonBody, String what) {
    SocketChannel channel = null;
    try {
      channel = connect(endpoint);
      byte[] body = jsonBody.getBytes(StandardCharsets.UTF_8);
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\n"
              + "Host: docker\r\n"
              + (body.length > 0 ? "Content-Type: application/json\r\n" : "")
              + "Connection: Upgrade\r\n"
              + "Upgrade: tcp\r\n"
              + "Content-Length: "
              + body.length
              + "\r\n\r\n";
      writeFully(channel, ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
      writeFully(channel, ByteBuffer.wrap(body));
      ByteBuffer in = ByteBuffer.allocate(MAX_HEADER_BYTES);
      int end;
      while ((end = headerEnd(in)) < 0) {
        if (!in.hasRemaining() || channel.read(in) < 0) {
          throw new RuntimeUnavailableException(
              what + ": the engine closed the connection before answering");
        }
      }
      String header = new String(in.array(), 0, end, StandardCharsets.ISO_8859_1);
      int status = statusCode(header, what);
      ByteBuffer rest = ByteBuffer.wrap(Arrays.copyOfRange(in.array(), end + 4, in.position()));
      if (status != 101 && status != 200) {
        String message = readBody(channel, rest);
        if (status == 404) {
          throw new ContainerNotFoundException(what + ": " + message);
        }
        throw new RuntimeUnavailableException(
            what + ": the engine answered " + status + ": " + message);
      }
      return new HijackedConnection(channel, rest);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new RuntimeUnavailableException(what + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /** Reads into {@code buffer}; -1 at the end of the stream. Blocks. */
  int read(ByteBuffer buffer) throws IOException {
    if (leftover.hasRemaining()) {
      int n = Math.min(leftover.remaining(), buffer.remaining());
      ByteBuffer slice = leftover.slice().limit(n);
      buffer.put(slice);
      leftover.position(leftover.position() + n);
      return n;
    }
    return channel.read(buffer);
  }

  void write(byte[] bytes) throws IOException {
    writeFully(channel, ByteBuffer.wrap(bytes));
  }

  /** Half-closes the connection: the process sees the end of its stdin. */
  void closeOutput() throws IOException {
    channel.shutdownOutput();
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static SocketChannel connect(String endpoint) throws IOException {
    URI uri = URI.create(endpoint);
    SocketAddress address;
    SocketChannel channel;
    if ("unix".equals(uri.getScheme())) {
      address = UnixDomainSocketAddress.of(uri.getPath());
      channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    } else if ("tcp".equals(uri.getScheme())) {
      address = new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort());
      channel = SocketChannel.open();
    } else {
      throw new IOException("streaming needs a unix:// or tcp:// engine endpoint, not " + endpoint);
    }
    try {
      channel.connect(address);
      return channel;
    } catch (IOException e) {
      channel.close();
      throw e;
    }
  }

  private static int headerEnd(ByteBuffer in) {
    byte[] a = in.array();
    for (int i = 0; i + 3 < in.position(); i++) {
      if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static int statusCode(String header, String what) {
    String[] statusLine = header.split("\r\n", 2)[0].split(" ", 3);
    try {
      return Integer.parseInt(statusLine[1]);
    } catch (RuntimeException e) {
      throw new RuntimeUnavailableException(
          what + ": unexpected answer from the engine: " + statusLine[0]);
    }
  }

  /** The error body (the engine closes or sends a short JSON message); at most a few KiB. */
  private static String readBody(SocketChannel channel, ByteBuffer rest) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(rest.array(), rest.position(), rest.remaining());
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    while (body.size() < 4096 && !body.toString(StandardCharsets.UTF_8).contains("}")) {
      buffer.clear();
      if (channel.read(buffer) < 0) {
        break;
      }
      body.write(buffer.array(), 0, buffer.position());
    }
    String text = body.toString(StandardCharsets.UTF_8).trim();
    int start = text.indexOf("\"message\":\"");
    if (start >= 0) {
      int from = start + "\"message\":\"".length();
      int to = text.indexOf('"', from);
      return to > from ? text.substring(from, to) : text;
    }
    return text;
  }

  private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // already broken
      }
    }
  }
}
