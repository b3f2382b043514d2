package io.staticlet.app.kubeletapi.streaming;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import io.staticlet.core.runtime.ProcessOutput;
import io.staticlet.core.runtime.StreamingOptions;
import io.staticlet.core.runtime.StreamingProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * exec and attach over SPDY ({@code pkg/kubelet/cri/streaming/remotecommand/httpstream.go}): waits
 * for the streams the query asked for (error, stdin, stdout, stderr, resize with a terminal from v3
 * on), then starts the process; stdin and resize go to it in order on a serial executor, its output
 * comes back on the stdout and stderr streams; at the end the status goes on the error stream,
 * error, stdout and stderr are half-closed and the connection is closed.
 */
public final class RemoteCommandSession implements SpdyStreamListener {
  /** The kubelet's {@code streamCreationTimeout}. */
  public static final Duration STREAM_CREATION_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger log = LoggerFactory.getLogger(RemoteCommandSession.class);

  private final Channel channel;
  private final String protocol;
  private final StreamingOptions options;
  private final Function<ProcessOutput, StreamingProcess> starter;
  private final SerialExecutor serial;
  private final int expectedStreams;
  private final Map<String, SpdyStream> streams = new HashMap<>(); // event loop only
  private final ResizeDecoder resizes = new ResizeDecoder();
  private ScheduledFuture<?> timeout; // event loop only
  private boolean started; // event loop only
  private volatile StreamingProcess process;
  private volatile boolean closed;

  /**
   * @param options with {@code stderr} already false for a terminal (the kubelet ignores it then)
   * @param starter starts the exec or attach; may block
   */
  public RemoteCommandSession(
      Channel channel,
      String protocol,
      StreamingOptions options,
      Function<ProcessOutput, StreamingProcess> starter,
      Executor blocking) {
    this.channel = channel;
    this.protocol = protocol;
    this.options = options;
    this.starter = starter;
    this.serial = new SerialExecutor(blocking);
    this.expectedStreams =
        1
            + count(options.stdin())
            + count(options.stdout())
            + count(options.stderr())
            + count(options.tty() && StreamProtocols.supportsResize(protocol));
  }

  /**
   * Starts the stream-creation timer; call on the event loop once the session is in the pipeline.
   */
  public void begin(Duration streamCreationTimeout) {
    timeout =
        channel
            .eventLoop()
            .schedule(
                () -> {
                  if (!started) {
                    log.debug(
                        "exec/attach: timed out waiting for the client to create streams, got {}",
                        streams.keySet());
                    channel.close();
                  }
                },
                streamCreationTimeout.toNanos(),
                TimeUnit.NANOSECONDS);
  }

  @Override
  public void opened(SpdyStream stream) {
    String type = stream.header("streamtype");
    switch (type) {
      case "error", "stdin", "stdout", "stderr", "resize" -> {
        if (!started
            && streams.putIfAbsent(type, stream) == null
            && streams.size() == expectedStreams) {
          start();
        }
      }
      default -> log.debug("exec/attach: unexpected stream type {}", type);
    }
  }

  private void start() {
    started = true;
    if (timeout != null) {
      timeout.cancel(false);
    }
    SpdyStream stdout = streams.get("stdout");
    SpdyStream stderr = options.tty() ? stdout : streams.get("stderr");
    ProcessOutput output =
        new ProcessOutput() {
          @Override
          public void stdout(byte[] bytes) {
            if (stdout != null) {
              stdout.writeBlocking(bytes);
            }
          }

          @Override
          public void stderr(byte[] bytes) {
            if (stderr != null) {
              stderr.writeBlocking(bytes);
            }
          }
        };
    serial.execute(
        () -> {
          if (closed) {
            return;
          }
          try {
            StreamingProcess p = starter.apply(output);
            process = p;
            if (closed) {
              p.close();
            }
            p.exit().whenComplete(this::finished);
          } catch (RuntimeException e) {
            finished(null, e);
          }
        });
  }

  private void finished(Integer exitCode, Throwable error) {
    byte[] status;
    if (error != null) {
      status =
          RemoteCommandStatus.internalError(
              protocol, "error executing command in container: " + ProcessCalls.message(error));
    } else if (exitCode == 0) {
      status = RemoteCommandStatus.success(protocol);
    } else {
      status = RemoteCommandStatus.exitCode(protocol, exitCode);
    }
    SpdyStream errorStream = streams.get("error");
    if (errorStream != null) {
      if (status.length > 0) {
        errorStream.write(status);
      }
      errorStream.finish();
    }
    for (String type : new String[] {"stdout", "stderr"}) {
      SpdyStream s = streams.get(type);
      if (s != null) {
        s.finish();
      }
    }
    SpdySession.goAway(channel, lastStreamId());
  }

  private int lastStreamId() {
    return streams.values().stream().mapToInt(SpdyStream::id).max().orElse(0);
  }

  @Override
  public void data(SpdyStream stream, byte[] bytes) {
    if (stream == streams.get("stdin")) {
      serial.execute(() -> withProcess(p -> p.writeStdin(bytes)));
    } else if (stream == streams.get("resize")) {
      for (ResizeDecoder.Size size : resizes.feed(bytes)) {
        serial.execute(() -> withProcess(p -> p.resize(size.width(), size.height())));
      }
    }
  }

  @Override
  public void remoteFinished(SpdyStream stream) {
    if (stream == streams.get("stdin")) {
      serial.execute(() -> withProcess(StreamingProcess::closeStdin));
    }
  }

  @Override
  public void reset(SpdyStream stream) {
    remoteFinished(stream);
  }

  @Override
  public void closed() {
    closed = true;
    if (timeout != null) {
      timeout.cancel(false);
    }
    serial.execute(() -> withProcess(StreamingProcess::close));
  }

  private void withProcess(Consumer<StreamingProcess> action) {
    ProcessCalls.quietly(process, action, log, "exec/attach");
  }

  private static int count(boolean b) {
    return b ? 1 : 0;
  }
}
