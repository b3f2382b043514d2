package io.staticlet.core.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A unix socket that accepts one connection and hangs up without a word, as containerd's gRPC
 * server does to an HTTP/1.1 request: an engine endpoint that is not Docker's.
 */
public final class HangUpSocket implements AutoCloseable {
  private final ServerSocketChannel server;
  private final Path path;

  public HangUpSocket(Path path) throws IOException {
    this.path = path;
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    Thread acceptor =
        new Thread(
            () -> {
              try (SocketChannel c = server.accept()) {
                c.shutdownOutput();
              } catch (IOException closed) {
                // the test ended
              }
            },
            "hang-up-socket");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code unix://<path>}. */
  public String endpoint() {
    return "unix://" + path;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
