package io.staticlet.docker;

import com.github.dockerjava.api.DockerClient;
import io.staticlet.core.runtime.ProcessOutput;
import io.staticlet.core.runtime.StreamingOptions;
import io.staticlet.core.runtime.StreamingProcess;
import io.staticlet.docker.DockerErrors.Operation;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/**
 * Interactive exec and attach ({@code kubectl exec}, {@code kubectl attach}): the exec is created
 * and resized with docker-java, the stream itself runs on a {@link HijackedConnection} so that the
 * end of stdin reaches the process.
 */
final class StreamingExecs {
  private final DockerClient docker;
  private final String endpoint;
  private final ExecRunner execs;
  private final ThreadFactory readers;

  StreamingExecs(DockerClient docker, String endpoint, ExecRunner execs, ThreadFactory readers) {
    this.docker = docker;
    this.endpoint = endpoint;
    this.execs = execs;
    this.readers = readers;
  }

  StreamingProcess exec(
      String containerId, List<String> command, StreamingOptions options, ProcessOutput output) {
    String what = "exec " + command + " in container " + containerId;
    String execId =
        DockerErrors.call(
            Operation.CONTAINER,
            what,
            () ->
                docker
                    .execCreateCmd(containerId)
                    .withCmd(command.toArray(new String[0]))
                    .withAttachStdin(options.stdin())
                    .withAttachStdout(options.stdout())
                    .withAttachStderr(options.stderr() && !options.tty())
                    .withTty(options.tty())
                    .exec()
                    .getId());
    HijackedConnection connection =
        HijackedConnection.open(
            endpoint,
            "/exec/" + execId + "/start",
            "{\"Detach\":false,\"Tty\":" + options.tty() + "}",
            what);
    return new HijackedProcess(
            connection,
            options.tty(),
            output,
            (w, h) ->
                DockerErrors.run(
                    Operation.CONTAINER,
                    what,
                    () -> docker.resizeExecCmd(execId).withSize(h, w).exec()),
            () -> execs.exitCode(execId, what),
            what)
        .startReading(readers);
  }

  StreamingProcess attach(String containerId, StreamingOptions options, ProcessOutput output) {
    String what = "attach to container " + containerId;
    boolean tty =
        Boolean.TRUE.equals(
            DockerErrors.call(
                Operation.CONTAINER,
                what,
                () -> docker.inspectContainerCmd(containerId).exec().getConfig().getTty()));
    String query =
        "stream=1&stdin="
            + flag(options.stdin())
            + "&stdout="
            + flag(options.stdout())
            + "&stderr="
            + flag(options.stderr());
    HijackedConnection connection =
        HijackedConnection.open(
            endpoint, "/containers/" + containerId + "/attach?" + query, "", what);
    return new HijackedProcess(
            connection,
            tty,
            output,
            (w, h) ->
                DockerErrors.run(
                    Operation.CONTAINER,
                    what,
                    () -> docker.resizeContainerCmd(containerId).withSize(h, w).exec()),
            () -> 0,
            what)
        .startReading(readers);
  }

  private static String flag(boolean b) {
    return b ? "1" : "0";
  }
}
