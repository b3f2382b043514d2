package io.staticlet.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.model.Frame;
import io.staticlet.core.runtime.ExecResult;
import io.staticlet.core.runtime.RuntimeUnavailableException;
import io.staticlet.docker.DockerErrors.Operation;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a command in a running container (exec probes, hooks) and collects stdout and stderr
 * together (Docker copies the two streams independently, so their interleaving is not exact),
 * keeping the first {@link #MAX_OUTPUT_BYTES} (the kubelet's probe output limit). On timeout the
 * stream is dropped and {@code timedOut} is reported; the process itself keeps running in the
 * container, as with the kubelet.
 */
final class ExecRunner {
  static final int MAX_OUTPUT_BYTES = 10 * 1024;

  /** The exit code can lag the end of the output stream by a few milliseconds. */
  private static final Duration EXIT_CODE_GRACE = Duration.ofSeconds(2);

  private static final long EXIT_CODE_POLL_NANOS = Duration.ofMillis(10).toNanos();

  private final DockerClient docker;

  ExecRunner(DockerClient docker) {
    this.docker = docker;
  }

  ExecResult exec(String containerId, List<String> command, Duration timeout) {
    String what = "exec " + command + " in container " + containerId;
    String execId =
        DockerErrors.call(
            Operation.CONTAINER,
            what,
            () ->
                docker
                    .execCreateCmd(containerId)
                    .withCmd(command.toArray(new String[0]))
                    .withAttachStdout(true)
                    .withAttachStderr(true)
                    .exec()
                    .getId());
    BoundedOutput output = new BoundedOutput();
    try {
      DockerErrors.run(Operation.CONTAINER, what, () -> docker.execStartCmd(execId).exec(output));
      if (!output.awaitFinished(timeout)) {
        return new ExecResult(-1, output.text(), true);
      }
      if (output.error() != null) {
        throw DockerErrors.translate(Operation.CONTAINER, what, asRuntime(output.error()));
      }
      return new ExecResult(exitCode(execId, what), output.text(), false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeUnavailableException(what + ": interrupted", e);
    } finally {
      output.close();
    }
  }

  int exitCode(String execId, String what) {
    long deadline = System.nanoTime() + EXIT_CODE_GRACE.toNanos();
    while (true) {
      InspectExecResponse inspect =
          DockerErrors.call(Operation.CONTAINER, what, () -> docker.inspectExecCmd(execId).exec());
      Long code = inspect.getExitCodeLong();
      if (code != null && !Boolean.TRUE.equals(inspect.isRunning())) {
        return code.intValue();
      }
      if (System.nanoTime() > deadline) {
        return code == null ? -1 : code.intValue();
      }
      LockSupport.parkNanos(EXIT_CODE_POLL_NANOS);
    }
  }

  private static RuntimeException asRuntime(Throwable t) {
    return t instanceof RuntimeException r ? r : new RuntimeException(t);
  }

  /** Collects frames up to the limit. */
  private static final class BoundedOutput extends StreamCallback<Frame> {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(); // guarded by this

    @Override
    public synchronized void onNext(Frame frame) {
      byte[] payload = frame.getPayload();
      int room = MAX_OUTPUT_BYTES - bytes.size();
      if (payload != null && room > 0) {
        bytes.write(payload, 0, Math.min(room, payload.length));
      }
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
