package io.staticlet.app.kubeletapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.staticlet.core.container.SandboxSpecs;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.testing.FakeContainerRuntime;
import io.staticlet.core.testing.ManualClock;
import io.staticlet.core.testing.TestLaunches;
import io.staticlet.core.testing.TestPods;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resource metrics from a fake {@code /proc} and cgroup tree (v1 and v2 layouts). */
class ResourceRoutesTest {
  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final FakeContainerRuntime runtime = new FakeContainerRuntime(clock);
  private final StaticPod web = TestPods.pod("web").container("app", "busybox").build();

  private String runningApp() {
    String sandbox = runtime.startSandbox(SandboxSpecs.of(web, 0));
    String id =
        runtime.createContainer(
            TestLaunches.create()
                .resolve(
                    web,
                    web.pod().getSpec().getContainers().get(0),
                    ContainerRole.APP,
                    0,
                    sandbox,
                    "",
                    runtime.hostIp()));
    runtime.start(id);
    return id;
  }

  private void proc(long busyTicks) throws IOException {
    Files.createDirectories(dir.resolve("proc"));
    Files.writeString(
        dir.resolve("proc/stat"),
        "cpu  " + busyTicks + " 0 0 5000 100 0 0 0 0 0\nbtime 1767225600\n");
    Files.writeString(
        dir.resolve("proc/meminfo"),
        "MemTotal:       1000 kB\nMemFree:         200 kB\n"
            + "MemAvailable:    600 kB\nInactive(file):  100 kB\nAnonPages:       300 kB\n");
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  @Test
  void cgroupV1ContainersAndTheNodeAsThe120Series() throws IOException {
    String id = runningApp();
    proc(1000);
    Path cg = dir.resolve("cgroup");
    write(cg.resolve("cpuacct/docker/" + id + "/cpuacct.usage"), "2500000000\n");
    write(cg.resolve("memory/docker/" + id + "/memory.usage_in_bytes"), "4096\n");
    write(
        cg.resolve("memory/docker/" + id + "/memory.stat"),
        "total_rss 1024\ntotal_inactive_file 1000\n");
    ResourceRoutes routes =
        new ResourceRoutes(
            new ResourceSampler(
                () -> Map.of(web.key(), web),
                runtime,
                new CgroupStats(dir.resolve("proc"), cg),
                clock),
            "node1");

    String text = routes.metrics().content().toString(StandardCharsets.UTF_8);
    long ms = clock.instant().toEpochMilli();
    String labels = "{container=\"app\",namespace=\"default\",pod=\"" + web.key().name() + "\"}";
    assertTrue(
        text.contains("container_cpu_usage_seconds_total" + labels + " 2.5 " + ms + "\n"), text);
    assertTrue(
        text.contains("container_memory_working_set_bytes" + labels + " 3096 " + ms + "\n"), text);
    assertTrue(text.contains("node_cpu_usage_seconds_total 10 " + ms + "\n"), text);
    assertTrue(text.contains("node_memory_working_set_bytes 716800 " + ms + "\n"), text);
    assertTrue(text.contains("scrape_error 0\n"), text);
    assertTrue(text.contains("# TYPE container_cpu_usage_seconds_total counter\n"), text);
  }

  @Test
  void cgroupV2AndSummaryRatesFromTheSecondScrape() throws Exception {
    String id = runningApp();
    proc(1000);
    Path cg = dir.resolve("cgroup");
    write(cg.resolve("cgroup.controllers"), "cpu memory\n");
    write(cg.resolve("system.slice/docker-" + id + ".scope/cpu.stat"), "usage_usec 1000000\n");
    write(cg.resolve("system.slice/docker-" + id + ".scope/memory.current"), "8192\n");
    write(
        cg.resolve("system.slice/docker-" + id + ".scope/memory.stat"),
        "anon 2048\ninactive_file 192\n");
    ResourceRoutes routes =
        new ResourceRoutes(
            new ResourceSampler(
                () -> Map.of(web.key(), web),
                runtime,
                new CgroupStats(dir.resolve("proc"), cg),
                clock),
            "node1");
    ObjectMapper json = new ObjectMapper();

    JsonNode first = json.readTree(routes.summary().content().toString(StandardCharsets.UTF_8));
    assertEquals("node1", first.at("/node/nodeName").asText());
    assertEquals(10_000_000_000L, first.at("/node/cpu/usageCoreNanoSeconds").asLong());
    assertEquals(600 * 1024, first.at("/node/memory/availableBytes").asLong());
    JsonNode container = first.at("/pods/0/containers/0");
    assertEquals("app", container.get("name").asText());
    assertEquals(8000, container.at("/memory/workingSetBytes").asLong());
    assertTrue(container.at("/cpu/usageNanoCores").isMissingNode(), "no rate from one reading");

    clock.advance(Duration.ofSeconds(2));
    write(cg.resolve("system.slice/docker-" + id + ".scope/cpu.stat"), "usage_usec 2000000\n");
    JsonNode second = json.readTree(routes.summary().content().toString(StandardCharsets.UTF_8));
    assertEquals(
        500_000_000L, second.at("/pods/0/containers/0/cpu/usageNanoCores").asLong(), "half a core");
    assertEquals(500_000_000L, second.at("/pods/0/cpu/usageNanoCores").asLong());
    assertEquals(web.uid(), second.at("/pods/0/podRef/uid").asText());
  }

  @Test
  void aContainerWithoutCgroupIsAScrapeError() throws IOException {
    runningApp();
    proc(1000);
    ResourceRoutes routes =
        new ResourceRoutes(
            new ResourceSampler(
                () -> Map.of(web.key(), web),
                runtime,
                new CgroupStats(dir.resolve("proc"), dir.resolve("nothing")),
                clock),
            "node1");

    String text = routes.metrics().content().toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("scrape_error 1\n"), text);
    assertEquals(
        Optional.empty(),
        new CgroupStats(dir.resolve("proc"), dir.resolve("nothing")).container("x"));
  }
}
