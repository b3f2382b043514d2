package io.staticlet.docker;

import com.github.dockerjava.api.DockerClient;
import io.staticlet.core.runtime.ContainerNotFoundException;
import io.staticlet.core.runtime.ProcessOutput;
import io.staticlet.core.runtime.RuntimeUnavailableException;
import io.staticlet.core.runtime.StreamingProcess;
import io.staticlet.docker.DockerErrors.Operation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;

/**
 * Port-forward as dockershim did it: {@code nsenter -t <sandbox pid> -n socat -
 * TCP4:localhost:<port>} connects inside the pod's network namespace, so listeners bound to
 * 127.0.0.1 in the pod are reached (the pod IP would miss them), and a hostNetwork pod's namespace
 * is the host's. A JVM thread cannot enter another network namespace without native code; {@code
 * nsenter} is in util-linux and {@code socat} is installed by {@code
 * deploy/setup/ensure-docker.sh}.
 */
final class PortForwarder {
  private final DockerClient docker;
  private final ThreadFactory readers;

  PortForwarder(DockerClient docker, ThreadFactory readers) {
    this.docker = docker;
    this.readers = readers;
  }

  StreamingProcess open(String sandboxId, int port, ProcessOutput output) {
    String what = "port-forward to port " + port + " of sandbox " + sandboxId;
    Integer pid =
        DockerErrors.call(
            Operation.CONTAINER,
            what,
            () -> docker.inspectContainerCmd(sandboxId).exec().getState().getPid());
    if (pid == null || pid <= 0) {
      throw new ContainerNotFoundException(what + ": the sandbox is not running");
    }
    Process process;
    try {
      process =
          new ProcessBuilder(
                  List.of(
                      "nsenter",
                      "-t",
                      Integer.toString(pid),
                      "-n",
                      "socat",
                      "-",
                      "TCP4:localhost:" + port))
              .start();
    } catch (IOException e) {
      throw new RuntimeUnavailableException(
          what + ": cannot run nsenter and socat: " + e.getMessage(), e);
    }
    return new SocatProcess(process, output, what).start(readers);
  }

  private static final class SocatProcess implements StreamingProcess {
    private final Process process;
    private final ProcessOutput output;
    private final String what;
    private final OutputStream stdin;
    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    SocatProcess(Process process, ProcessOutput output, String what) {
      this.process = process;
      this.output = output;
      this.what = what;
      this.stdin = process.getOutputStream();
    }

    SocatProcess start(ThreadFactory threads) {
      Thread errorReader = threads.newThread(this::readErrors);
      errorReader.start();
      threads.newThread(() -> copyOut(errorReader)).start();
      return this;
    }

    private void readErrors() {
      try (InputStream in = process.getErrorStream()) {
        in.transferTo(errors);
      } catch (IOException ignored) {
        // the process is gone
      }
    }

    private void copyOut(Thread errorReader) {
      byte[] buffer = new byte[32 * 1024];
      try (InputStream in = process.getInputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (n > 0) {
            output.stdout(Arrays.copyOf(buffer, n));
          }
        }
        int rc = process.waitFor();
        errorReader.join();
        if (rc == 0) {
          exit.complete(0);
        } else {
          String message = errors.toString(StandardCharsets.UTF_8).trim();
          exit.completeExceptionally(
              new RuntimeUnavailableException(
                  what + ": " + (message.isEmpty() ? "socat exited with " + rc : message)));
        }
      } catch (IOException e) {
        exit.completeExceptionally(
            new RuntimeUnavailableException(what + ": " + e.getMessage(), e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exit.completeExceptionally(new RuntimeUnavailableException(what + ": interrupted", e));
      }
    }

    @Override
    public void writeStdin(byte[] bytes) {
      try {
        stdin.write(bytes);
        stdin.flush();
      } catch (IOException e) {
        throw new RuntimeUnavailableException(what + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void closeStdin() {
      try {
        stdin.close();
      } catch (IOException ignored) {
        // socat already exited
      }
    }

    @Override
    public void resize(int width, int height) {
      // no terminal
    }

    @Override
    public CompletableFuture<Integer> exit() {
      return exit;
    }

    @Override
    public void close() {
      process.destroy();
    }
  }
}
