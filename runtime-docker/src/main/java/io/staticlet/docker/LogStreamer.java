package io.staticlet.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.staticlet.core.runtime.LogQuery;
import io.staticlet.core.runtime.LogSink;
import io.staticlet.docker.DockerErrors.Operation;

/**
 * {@code GET /containers/{id}/logs}: the engine's log of a container instance, stdout and stderr,
 * with the engine's own tail, since and timestamps (RFC3339Nano). A followed stream runs on the
 * stream client (no response timeout: a quiet container must not cut it).
 */
final class LogStreamer {
  private final DockerClient docker;
  private final DockerClient streams;

  LogStreamer(DockerClient docker, DockerClient streams) {
    this.docker = docker;
    this.streams = streams;
  }

  AutoCloseable stream(String containerId, LogQuery query, LogSink sink) {
    String what = "logs of container " + containerId;
    // fails fast with ContainerNotFoundException rather than inside the stream
    DockerErrors.call(
        Operation.CONTAINER, what, () -> docker.inspectContainerCmd(containerId).exec());
    LogContainerCmd cmd =
        (query.follow() ? streams : docker)
            .logContainerCmd(containerId)
            .withStdOut(true)
            .withStdErr(true)
            .withFollowStream(query.follow())
            .withTimestamps(query.timestamps());
    if (query.since() != null) {
      cmd.withSince((int) Math.min(Integer.MAX_VALUE, query.since().getEpochSecond()));
    }
    if (query.tailLines() != null) {
      cmd.withTail(query.tailLines());
    } else {
      cmd.withTailAll();
    }
    Callback callback = new Callback(sink);
    DockerErrors.run(Operation.CONTAINER, what, () -> cmd.exec(callback));
    return callback;
  }

  private static final class Callback extends StreamCallback<Frame> {
    private final LogSink sink;
    private boolean ended; // guarded by this

    Callback(LogSink sink) {
      this.sink = sink;
    }

    @Override
    public void onNext(Frame frame) {
      byte[] payload = frame.getPayload();
      if (payload != null && payload.length > 0) {
        sink.write(frame.getStreamType() == StreamType.STDERR, payload);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      super.onError(throwable);
      end(error());
    }

    @Override
    public void onComplete() {
      super.onComplete();
      end(null);
    }

    @Override
    public void close() {
      super.close();
      end(null);
    }

    private void end(Throwable error) {
      synchronized (this) {
        if (ended) {
          return;
        }
        ended = true;
      }
      sink.end(error);
    }
  }
}
