package io.staticlet.docker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerState;
import io.staticlet.core.runtime.ProcessOutput;
import io.staticlet.core.runtime.StreamingOptions;
import io.staticlet.core.runtime.StreamingProcess;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamingExecIT extends DockerTestSupport {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void execSeparatesStdoutAndStderrAndReportsTheExitCode() throws Exception {
    String id = sleeper("sep");
    Collected out = new Collected();
    StreamingProcess p =
        runtime.execStreaming(
            id,
            List.of("sh", "-c", "echo out; echo err >&2; exit 3"),
            new StreamingOptions(false, true, true, false),
            out);
    assertEquals(3, p.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertEquals("out\n", out.stdout());
    assertEquals("err\n", out.stderr());
  }

  @Test
  void stdinReachesTheCommandAndItsEndEndsCat() throws Exception {
    String id = sleeper("stdin");
    Collected out = new Collected();
    StreamingProcess p =
        runtime.execStreaming(
            id, List.of("cat"), new StreamingOptions(true, true, true, false), out);
    p.writeStdin("data\n".getBytes(StandardCharsets.UTF_8));
    p.closeStdin();
    assertEquals(0, p.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertEquals("data\n", out.stdout());
  }

  @Test
  void ttyExecRunsAShellAndResizeReachesTheTerminal() throws Exception {
    String id = sleeper("tty");
    Collected out = new Collected();
    StreamingProcess p =
        runtime.execStreaming(
            id, List.of("sh"), new StreamingOptions(true, true, false, true), out);
    p.resize(91, 37);
    p.writeStdin("stty size; echo $((6*7))\n".getBytes(StandardCharsets.UTF_8));
    await().atMost(WAIT).until(() -> out.stdout().contains("42"));
    assertTrue(out.stdout().contains("37 91"), out.stdout());
    p.writeStdin("exit 5\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(5, p.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS));
  }

  @Test
  void attachConnectsToTheMainProcessStdio() throws Exception {
    StaticPod pod =
        pod("attach")
            .container(
                TestPods.container("c")
                    .withCommand("sh", "-c", "while read l; do echo got $l; done")
                    .withStdin(true))
            .build();
    String id = start(pod).id("c");
    awaitState(id, ContainerState.RUNNING);
    assertTrue(
        inspect(id).getConfig().getStdinOpen(),
        "stdin: true in the manifest keeps the container's stdin open");
    Collected out = new Collected();
    StreamingProcess p = runtime.attach(id, new StreamingOptions(true, true, true, false), out);
    p.writeStdin("hello\n".getBytes(StandardCharsets.UTF_8));
    await().atMost(WAIT).until(() -> out.stdout().contains("got hello\n"));
    assertEquals("got hello\n", out.stdout(), "exactly what was typed reaches the process");
    p.close();
  }

  @Test
  void portForwardReachesALocalhostOnlyListenerInThePod() throws Exception {
    StaticPod pod =
        pod("pf")
            .container(
                TestPods.shell(
                    "c",
                    "mkdir -p /www && echo hello-from-pod > /www/index.html && exec httpd -f -p 127.0.0.1:8080 -h /www"))
            .build();
    Started started = start(pod);
    awaitState(started.id("c"), ContainerState.RUNNING);
    // the server may take a moment to listen; then two connections open at the same time both work
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> get(started.sandbox()), body -> body.contains("hello-from-pod"));
    Collected first = new Collected();
    Collected second = new Collected();
    StreamingProcess a = runtime.portForward(started.sandbox(), 8080, first);
    StreamingProcess b = runtime.portForward(started.sandbox(), 8080, second);
    for (StreamingProcess p : List.of(a, b)) {
      p.writeStdin("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    assertEquals(0, b.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertEquals(0, a.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertTrue(first.stdout().contains("hello-from-pod"), first.stdout());
    assertTrue(second.stdout().contains("hello-from-pod"), second.stdout());
  }

  private String get(String sandbox) throws Exception {
    Collected out = new Collected();
    StreamingProcess p = runtime.portForward(sandbox, 8080, out);
    p.writeStdin("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    p.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return out.stdout();
  }

  @Test
  void portForwardToAClosedPortFailsWithTheReason() {
    String id = sleeper("pfclosed");
    String sandbox = inspect(id).getHostConfig().getNetworkMode().replace("container:", "");
    StreamingProcess p = runtime.portForward(sandbox, 9, new Collected());
    p.closeStdin();
    CompletionException e = assertThrows(CompletionException.class, () -> p.exit().join());
    assertTrue(e.getCause().getMessage().contains("Connection refused"), e.getCause().getMessage());
  }

  private String sleeper(String name) {
    String id = start(pod(name).container(TestPods.shell("c", "sleep 3600")).build()).id("c");
    awaitState(id, ContainerState.RUNNING);
    return id;
  }

  static final class Collected implements ProcessOutput {
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @Override
    public synchronized void stdout(byte[] bytes) {
      stdout.writeBytes(bytes);
    }

    @Override
    public synchronized void stderr(byte[] bytes) {
      stderr.writeBytes(bytes);
    }

    synchronized String stdout() {
      return stdout.toString(StandardCharsets.UTF_8);
    }

    synchronized String stderr() {
      return stderr.toString(StandardCharsets.UTF_8);
    }
  }
}
