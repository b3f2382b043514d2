package io.staticlet.docker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerNotFoundException;
import io.staticlet.core.runtime.ContainerState;
import io.staticlet.core.runtime.LogQuery;
import io.staticlet.core.runtime.LogSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code streamLogs} against the real engine: stdout and stderr, tail, timestamps, since, follow.
 */
class LogStreamIT extends DockerTestSupport {
  /** Collects what the engine sends. */
  private static final class Collected implements LogSink {
    final StringBuffer stdout = new StringBuffer();
    final StringBuffer stderr = new StringBuffer();
    final StringBuffer all = new StringBuffer();
    final CompletableFuture<Throwable> ended = new CompletableFuture<>();

    @Override
    public void write(boolean isStderr, byte[] bytes) {
      String s = new String(bytes, StandardCharsets.UTF_8);
      (isStderr ? stderr : stdout).append(s);
      all.append(s);
    }

    @Override
    public void end(Throwable error) {
      ended.complete(error);
    }
  }

  private Collected read(String id, LogQuery query) throws Exception {
    Collected c = new Collected();
    try (AutoCloseable stream = runtime.streamLogs(id, query, c)) {
      assertNull(c.ended.get(20, TimeUnit.SECONDS));
    }
    return c;
  }

  @Test
  void anExitedContainersLogWithTailAndTimestamps() throws Exception {
    // the engine reads stdout and stderr from two pipes: "three" comes a second later so it is the
    // last line logged
    StaticPod pod =
        pod("logs")
            .container(TestPods.shell("c", "echo one; echo two >&2; sleep 1; echo three"))
            .build();
    String id = start(pod).id("c");
    awaitState(id, ContainerState.EXITED);

    Collected all = read(id, new LogQuery(false, false, null, null));
    assertEquals("one\nthree\n", all.stdout.toString());
    assertEquals("two\n", all.stderr.toString());
    assertEquals("three\n", read(id, new LogQuery(false, false, null, 1)).all.toString());
    String stamped = read(id, new LogQuery(false, true, null, 1)).all.toString();
    assertTrue(
        Pattern.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z three\n", stamped),
        stamped);
    assertEquals(
        "",
        read(id, new LogQuery(false, false, Instant.now().plusSeconds(60), null)).all.toString());
  }

  @Test
  void followDeliversLinesAsTheyComeUntilClosed() throws Exception {
    StaticPod pod =
        pod("follow")
            .container(
                TestPods.shell("c", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 1; done"))
            .build();
    String id = start(pod).id("c");
    awaitState(id, ContainerState.RUNNING);

    Collected c = new Collected();
    AutoCloseable stream = runtime.streamLogs(id, new LogQuery(true, false, null, 0), c);
    await().atMost(Duration.ofSeconds(30)).until(() -> c.stdout.toString().split("\n").length >= 2);
    stream.close();
    assertNull(c.ended.get(10, TimeUnit.SECONDS), "closing ends the stream without an error");
  }

  @Test
  void anUnknownContainerIsNotFound() {
    assertThrows(
        ContainerNotFoundException.class,
        () ->
            runtime.streamLogs(
                "0000000000000000000000000000000000000000000000000000000000000000",
                new LogQuery(false, false, null, null),
                new Collected()));
  }
}
