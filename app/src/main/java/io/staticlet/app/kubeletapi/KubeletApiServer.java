package io.staticlet.app.kubeletapi;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The kubelet API's HTTPS listener on Netty (the Netty fabric8's Vert.x client already ships: one
 * copy for the API client and this server). Each connection's pipeline is {@value #SSL}, {@value
 * #HTTP_CODEC}, {@value #HTTP_AGGREGATOR}, {@value #ROUTER}; a {@link StreamingEndpoint} may
 * replace all but the first after a 101.
 *
 * <p>Concurrency contract: one Netty event-loop thread ({@code kubelet-api-io}) accepts, runs TLS
 * and decodes every connection; nothing on it may block. {@link KubeletApiRouter} hands each
 * request to the kubelet API's worker pool, where authentication webhooks, authorization, log
 * streams and engine calls may block; a {@link StreamingEndpoint} is called back on the event loop
 * and runs its sessions' blocking I/O on threads of its own. This server is separate from the API
 * client (it stays in standalone mode).
 */
public final class KubeletApiServer implements AutoCloseable {
  public static final String SSL = "ssl";
  public static final String HTTP_CODEC = "http-codec";
  public static final String HTTP_AGGREGATOR = "http-aggregator";
  public static final String ROUTER = "kubelet-api";

  /**
   * Requests to the kubelet carry no body worth more (exec and port-forward upgrade, logs are
   * GETs).
   */
  static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final EventLoopGroup group;
  private final Channel channel;

  private KubeletApiServer(EventLoopGroup group, Channel channel) {
    this.group = group;
    this.channel = channel;
  }

  /** Binds {@code address:port} (port 0: any free port); throws when the port cannot be bound. */
  public static KubeletApiServer bind(
      String address,
      int port,
      SslContext ssl,
      Supplier<KubeletApiRouter> routers,
      ThreadFactory threads)
      throws IOException {
    EventLoopGroup group = new NioEventLoopGroup(1, threads);
    try {
      Channel channel =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .option(ChannelOption.SO_REUSEADDR, true)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast(SSL, ssl.newHandler(ch.alloc()))
                          .addLast(HTTP_CODEC, new HttpServerCodec())
                          .addLast(HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST_BYTES))
                          .addLast(ROUTER, routers.get());
                    }
                  })
              .bind(new InetSocketAddress(address.isEmpty() ? "0.0.0.0" : address, port))
              .sync()
              .channel();
      return new KubeletApiServer(group, channel);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IOException("interrupted while binding " + address + ":" + port, e);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IOException("cannot listen on " + address + ":" + port + ": " + e.getMessage(), e);
    } catch (Exception e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IOException("cannot listen on " + address + ":" + port + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }
}
