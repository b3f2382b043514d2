package io.staticlet.docker;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A unix-socket pass-through to the Docker socket whose connections a test can cut, to look like an
 * engine restart to a client without restarting the shared engine.
 */
final class UnixSocketProxy implements AutoCloseable {
  private final Path target;
  private final Path socket;
  private final ServerSocketChannel server;
  private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
  private volatile int accepted;

  UnixSocketProxy(Path target, Path socket) throws IOException {
    this.target = target;
    this.socket = socket;
    Files.deleteIfExists(socket);
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread acceptor = new Thread(this::acceptLoop, "test-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String endpoint() {
    return "unix://" + socket;
  }

  /** Connections accepted so far. */
  int accepted() {
    return accepted;
  }

  int openConnections() {
    return (int) open.stream().filter(SocketChannel::isOpen).count() / 2;
  }

  /** Cuts every open connection, like an engine going away. */
  void dropConnections() {
    for (SocketChannel c : open) {
      closeQuietly(c);
    }
    open.clear();
  }

  @Override
  public void close() throws IOException {
    server.close();
    dropConnections();
    Files.deleteIfExists(socket);
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(target));
        open.add(client);
        open.add(upstream);
        accepted++;
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        return; // server closed
      }
    }
  }

  private void pump(SocketChannel from, SocketChannel to) {
    Thread t =
        new Thread(
            () -> {
              ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
              try {
                while (from.read(buffer) >= 0) {
                  buffer.flip();
                  while (buffer.hasRemaining()) {
                    to.write(buffer);
                  }
                  buffer.clear();
                }
              } catch (IOException e) {
                // connection cut
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "test-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(SocketChannel c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
