package io.staticlet.docker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.RuntimeEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class EventWatchIT extends DockerTestSupport {
  private final List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
  private final List<String> deliveringThreads = new CopyOnWriteArrayList<>();

  private void record(RuntimeEvent event) {
    deliveringThreads.add(Thread.currentThread().getName());
    events.add(event);
  }

  private boolean seen(StaticPod pod, String id, String action) {
    return events.stream()
        .anyMatch(
            e ->
                e.pod().equals(pod.key())
                    && e.containerId().equals(id)
                    && e.action().equals(action));
  }

  @Test
  void reportsAKilledContainerWithinOneSecond() {
    track(runtime.watch(this::record));
    StaticPod pod =
        pod("events").container(TestPods.container("c").withCommand("sleep", "3600")).build();
    String id = start(pod).id("c");
    await().atMost(Duration.ofSeconds(5)).until(() -> seen(pod, id, "start"));
    assertTrue(
        Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().equals("docker-events")));

    docker.killContainerCmd(id).exec();

    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> seen(pod, id, "die"));
    assertTrue(events.stream().noneMatch(e -> e.action().startsWith("exec")), events.toString());
    assertTrue(
        deliveringThreads.stream().allMatch("docker-events"::equals), deliveringThreads.toString());
  }

  @Test
  void reconnectsAndResyncsEveryManagedPodAfterTheStreamBreaks() throws Exception {
    Path socket = rootDir.resolve("proxy.sock");
    UnixSocketProxy proxy =
        track(new UnixSocketProxy(Path.of(java.net.URI.create(ENDPOINT).getPath()), socket));
    // commands go straight to the engine; only the event stream passes the proxy we cut
    DockerContainerRuntime watched =
        track(
            new DockerContainerRuntime(
                settings(),
                DockerClientFactory.forCommands(ENDPOINT),
                DockerClientFactory.forStreams(proxy.endpoint()),
                DockerEventWatch.defaultThreads()));
    track(watched.watch(events::add));
    StaticPod pod =
        pod("resync").container(TestPods.container("c").withCommand("sleep", "3600")).build();
    String id = start(pod).id("c");
    await().atMost(Duration.ofSeconds(5)).until(() -> seen(pod, id, "start"));

    proxy.dropConnections(); // what the client sees when the engine restarts

    await().atMost(Duration.ofSeconds(8)).until(() -> seen(pod, id, DockerEventWatch.RESYNC));
    assertTrue(proxy.accepted() >= 2, "reconnected");
    docker.killContainerCmd(id).exec();
    await().atMost(Duration.ofSeconds(2)).until(() -> seen(pod, id, "die"));
  }

  @Test
  void stopsDeliveringWhenClosed() throws Exception {
    AutoCloseable watch = runtime.watch(events::add);
    StaticPod pod =
        pod("closed").container(TestPods.container("c").withCommand("sleep", "3600")).build();
    String id = start(pod).id("c");
    await().atMost(Duration.ofSeconds(5)).until(() -> seen(pod, id, "start"));
    watch.close();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().equals("docker-events")));
    events.clear();
    docker.killContainerCmd(id).exec();
    // the kill's own events are the marker: nothing may arrive while the engine reports them
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(events::isEmpty);
  }
}
