package io.staticlet.docker;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerState;
import io.staticlet.core.runtime.ExecResult;
import io.staticlet.core.runtime.RuntimeContainer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StopRemoveExecIT extends DockerTestSupport {
  @Test
  void stopDeliversSigtermAndReturnsWhenTheTrapExits() {
    StaticPod pod =
        pod("trap")
            .container(
                TestPods.shell(
                    "c", "trap 'echo bye > /dev/termination-log; exit 3' TERM; sleep 3600 & wait"))
            .build();
    String id = start(pod).id("c");
    awaitState(id, ContainerState.RUNNING);

    long startNanos = System.nanoTime();
    runtime.stop(id, Duration.ofSeconds(30));
    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);

    assertTrue(
        took.compareTo(Duration.ofSeconds(10)) < 0, "stop waited " + took + " instead of the trap");
    RuntimeContainer stopped = find(id);
    assertEquals(ContainerState.EXITED, stopped.state());
    assertEquals(3, stopped.exitCode());
    assertEquals("bye\n", stopped.message());
  }

  @Test
  void stopKillsAfterTheMinimumGraceWhenSigtermIsIgnored() {
    // sleep as PID 1 has no handler, so the kernel ignores SIGTERM for it
    StaticPod pod =
        pod("stubborn").container(TestPods.container("c").withCommand("sleep", "3600")).build();
    String id = start(pod).id("c");
    awaitState(id, ContainerState.RUNNING);

    long startNanos = System.nanoTime();
    runtime.stop(id, Duration.ZERO);
    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);

    assertTrue(
        took.compareTo(Duration.ofMillis(1900)) >= 0,
        "grace below 2 s is raised to 2 s, took " + took);
    assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "took " + took);
    assertEquals(137, find(id).exitCode());
  }

  @Test
  void stopAndRemoveAreIdempotent() {
    StaticPod pod =
        pod("idem").container(TestPods.container("c").withCommand("sleep", "3600")).build();
    var started = start(pod);
    String id = started.id("c");
    runtime.stop(id, Duration.ofSeconds(2));
    assertDoesNotThrow(() -> runtime.stop(id, Duration.ofSeconds(2)), "already stopped");
    runtime.remove(id);
    assertNull(find(id));
    assertDoesNotThrow(() -> runtime.remove(id), "already removed");
    assertDoesNotThrow(() -> runtime.stop(id, Duration.ofSeconds(2)), "missing");
    runtime.stop(started.sandbox(), Duration.ofSeconds(2));
    runtime.remove(started.sandbox());
    assertTrue(runtime.listManaged(pod.key()).isEmpty());
  }

  @Test
  void execCapturesCombinedOutputAndExitCode() {
    StaticPod pod = pod("exec").container(TestPods.shell("c", "sleep 3600")).build();
    String id = start(pod).id("c");
    ExecResult result =
        runtime.exec(
            id, List.of("sh", "-c", "echo out; echo err >&2; exit 4"), Duration.ofSeconds(10));
    assertFalse(result.timedOut());
    assertEquals(4, result.exitCode());
    assertTrue(
        result.output().contains("out\n") && result.output().contains("err\n"), result.output());
    assertTrue(runtime.exec(id, List.of("true"), Duration.ofSeconds(10)).succeeded());
  }

  @Test
  void execTruncatesLargeOutput() {
    StaticPod pod = pod("execbig").container(TestPods.shell("c", "sleep 3600")).build();
    String id = start(pod).id("c");
    ExecResult result =
        runtime.exec(
            id,
            List.of("sh", "-c", "head -c 100000 /dev/zero | tr '\\0' x"),
            Duration.ofSeconds(10));
    assertEquals(0, result.exitCode());
    assertEquals(ExecRunner.MAX_OUTPUT_BYTES, result.output().length());
  }

  @Test
  void execReportsATimeout() {
    StaticPod pod = pod("exectimeout").container(TestPods.shell("c", "sleep 3600")).build();
    String id = start(pod).id("c");
    long startNanos = System.nanoTime();
    ExecResult result =
        runtime.exec(id, List.of("sh", "-c", "echo started; sleep 30"), Duration.ofMillis(700));
    assertTrue(result.timedOut());
    assertFalse(result.succeeded());
    assertTrue(
        Duration.ofNanos(System.nanoTime() - startNanos).compareTo(Duration.ofSeconds(5)) < 0);
  }
}
