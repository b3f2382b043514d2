package io.staticlet.app.kubeletapi.streaming;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import io.staticlet.core.runtime.ProcessOutput;
import io.staticlet.core.runtime.StreamingProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * port-forward over SPDY ({@code pkg/kubelet/cri/streaming/portforward/httpstream.go}): for every
 * forwarded connection the client opens an error stream and a data stream with the same {@code
 * requestid} and the {@code port}; each pair gets its own connection into the pod, copied both
 * ways, with failures as text on the error stream. Many pairs run at once on one connection.
 */
public final class PortForwardSession implements SpdyStreamListener {
  private static final Logger log = LoggerFactory.getLogger(PortForwardSession.class);

  private final Channel channel;
  private final BiFunction<Integer, ProcessOutput, StreamingProcess> connector;
  private final Executor blocking;
  private final String podDescription;
  private final Duration pairTimeout;
  private final Map<String, Pair> pairs = new HashMap<>(); // event loop only
  private final Map<SpdyStream, Pair> byStream = new HashMap<>(); // event loop only

  /**
   * @param connector opens a connection to a port inside the pod; may block
   * @param podDescription how errors name the pod, e.g. {@code web-node1, uid 1234}
   */
  public PortForwardSession(
      Channel channel,
      BiFunction<Integer, ProcessOutput, StreamingProcess> connector,
      Executor blocking,
      String podDescription,
      Duration pairTimeout) {
    this.channel = channel;
    this.connector = connector;
    this.blocking = blocking;
    this.podDescription = podDescription;
    this.pairTimeout = pairTimeout;
  }

  @Override
  public void opened(SpdyStream stream) {
    String type = stream.header("streamtype");
    if (!type.equals("error") && !type.equals("data")) {
      log.debug("port-forward: unexpected stream type {}", type);
      stream.reset();
      return;
    }
    String requestId = requestId(stream, type);
    Pair pair = pairs.computeIfAbsent(requestId, id -> new Pair(id));
    byStream.put(stream, pair);
    if (type.equals("error")) {
      pair.error = pair.error == null ? stream : pair.error;
    } else {
      pair.data = pair.data == null ? stream : pair.data;
    }
    if (pair.error != null && pair.data != null) {
      pair.start();
    } else if (pair.timeout == null) {
      pair.timeout =
          channel
              .eventLoop()
              .schedule(
                  () -> pair.abandon("timed out waiting for the second stream"),
                  pairTimeout.toNanos(),
                  TimeUnit.NANOSECONDS);
    }
  }

  /**
   * kubectl sends {@code requestid}; older clients pair the data stream with the stream two before
   * it.
   */
  private static String requestId(SpdyStream stream, String type) {
    String id = stream.header("requestid");
    if (!id.isEmpty()) {
      return id;
    }
    return Integer.toString(type.equals("data") ? stream.id() - 2 : stream.id());
  }

  @Override
  public void data(SpdyStream stream, byte[] bytes) {
    Pair pair = byStream.get(stream);
    if (pair != null && stream == pair.data) {
      pair.serial.execute(() -> pair.withProcess(p -> p.writeStdin(bytes)));
    }
  }

  @Override
  public void remoteFinished(SpdyStream stream) {
    Pair pair = byStream.get(stream);
    if (pair != null && stream == pair.data) {
      pair.serial.execute(() -> pair.withProcess(StreamingProcess::closeStdin));
    }
  }

  @Override
  public void reset(SpdyStream stream) {
    Pair pair = byStream.get(stream);
    if (pair != null) {
      pair.serial.execute(() -> pair.withProcess(StreamingProcess::close));
      forget(pair);
    }
  }

  @Override
  public void closed() {
    for (Pair pair : List.copyOf(pairs.values())) {
      pair.serial.execute(() -> pair.withProcess(StreamingProcess::close));
      forget(pair);
    }
  }

  private void forget(Pair pair) {
    pair.forgotten = true;
    pairs.remove(pair.requestId, pair);
    byStream.remove(pair.error);
    byStream.remove(pair.data);
    if (pair.timeout != null) {
      pair.timeout.cancel(false);
    }
  }

  private final class Pair {
    final String requestId;
    final SerialExecutor serial = new SerialExecutor(blocking);
    SpdyStream error;
    SpdyStream data;
    ScheduledFuture<?> timeout;
    volatile StreamingProcess process;
    volatile boolean forgotten;

    Pair(String requestId) {
      this.requestId = requestId;
    }

    void start() {
      if (timeout != null) {
        timeout.cancel(false);
      }
      SpdyStream dataStream = data;
      String portHeader = dataStream.header("port");
      int port;
      try {
        port = Integer.parseInt(portHeader);
        if (port < 1 || port > 65535) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        fail("invalid port " + portHeader);
        return;
      }
      ProcessOutput output =
          new ProcessOutput() {
            @Override
            public void stdout(byte[] bytes) {
              dataStream.writeBlocking(bytes);
            }

            @Override
            public void stderr(byte[] bytes) {
              // the connection has no stderr
            }
          };
      serial.execute(
          () -> {
            if (forgotten) {
              return;
            }
            try {
              StreamingProcess p = connector.apply(port, output);
              process = p;
              if (forgotten) {
                p.close();
              }
              p.exit().whenComplete((rc, failure) -> done(port, failure));
            } catch (RuntimeException e) {
              done(port, e);
            }
          });
    }

    private void done(int port, Throwable failure) {
      if (failure != null) {
        error.write(
            ("error forwarding port "
                    + port
                    + " to pod "
                    + podDescription
                    + ": "
                    + ProcessCalls.message(failure))
                .getBytes(StandardCharsets.UTF_8));
      }
      error.finish();
      data.finish();
      channel.eventLoop().execute(() -> forget(this));
    }

    void abandon(String why) {
      if (error != null && data != null) {
        return;
      }
      log.debug("port-forward request {}: {}", requestId, why);
      fail(why);
    }

    private void fail(String message) {
      if (error != null) {
        error.write(message.getBytes(StandardCharsets.UTF_8));
        error.finish();
      }
      if (data != null) {
        data.finish();
      }
      forget(this);
    }

    void withProcess(Consumer<StreamingProcess> action) {
      ProcessCalls.quietly(process, action, log, "port-forward request " + requestId);
    }
  }
}
