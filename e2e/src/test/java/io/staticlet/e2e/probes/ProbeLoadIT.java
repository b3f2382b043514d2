package io.staticlet.e2e.probes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.staticlet.testkit.AgentProcess;
import io.staticlet.testkit.Commands;
import io.staticlet.testkit.DockerCli;
import io.staticlet.testkit.Manifests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #5 acceptance 4: 100 pods, each probed every second, and the agent's CPU (utime + stime of
 * its process over 60 s, from /proc) stays modest. The probe kind is {@code httpGet} unless {@code
 * -Dstaticlet.probeLoad.kind=exec|tcp|none} says otherwise ({@code none} gives the baseline without
 * probes). The figure is printed; the assertion only guards against a gross regression (a thread
 * per probe, a busy loop), since other builds share the machine.
 */
class ProbeLoadIT {
  private static final int PODS = Integer.getInteger("staticlet.probeLoad.pods", 100);
  private static final String KIND = System.getProperty("staticlet.probeLoad.kind", "httpGet");
  private static final Duration WINDOW = Duration.ofSeconds(60);

  /**
   * Average share of one core the agent may use while probing 100 pods every second: a guard
   * against a thread per probe or a busy loop (both near a whole core), not a target — measured
   * 13–20 %.
   */
  private static final double MAX_CORES = 0.5;

  @TempDir Path work;
  private String node;
  private AgentProcess agent;

  @BeforeEach
  void startAgent() throws IOException {
    node = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    Path manifests = Files.createDirectories(work.resolve("manifests"));
    agent =
        new AgentProcess(node, manifests, work, List.of("--file-check-frequency", "20s")).start();
    for (int i = 0; i < PODS; i++) {
      String name = "load" + i;
      Manifests.write(
          manifests.resolve(name + ".yaml"),
          ProbeManifests.pod(
              name,
              "Always",
              ProbeManifests.service(
                  "mkdir -p /www; echo ok > /www/index.html; httpd -f -v -p 8080 -h /www &"),
              probe(),
              ""));
    }
  }

  private static String probe() {
    String handler =
        switch (KIND) {
          case "none" -> "";
          case "exec" -> "exec:\n    command: [\"cat\", \"/www/index.html\"]\n";
          case "tcp" -> "tcpSocket:\n    port: 8080\n";
          default -> "httpGet:\n    path: /index.html\n    port: 8080\n";
        };
    return handler.isEmpty() ? "" : "readinessProbe:\n  " + handler + "  periodSeconds: 1\n";
  }

  @AfterEach
  void stopAgent(TestInfo test) {
    if (agent != null) {
      agent.close();
      String log = agent.log();
      System.out.println(
          "==== agent log of "
              + test.getDisplayName()
              + " (last 200 lines) ====\n"
              + String.join(
                  "\n", log.lines().skip(Math.max(0, log.lines().count() - 200)).toList()));
    }
    DockerCli.removeNode(node);
  }

  @Test
  void hundredPodsProbedEverySecondKeepTheAgentsCpuModest() throws Exception {
    await("all pods ready")
        .atMost(Duration.ofMinutes(8))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              List<Pod> pods = agent.pods();
              return pods.size() == PODS
                  && pods.stream()
                      .allMatch(
                          p ->
                              p.getStatus().getContainerStatuses() != null
                                  && p.getStatus().getContainerStatuses().stream()
                                      .allMatch(ContainerStatus::getReady));
            });
    long pid = agentPid();
    List<String> sample = sampleContainers(5);
    // let start-up work (status churn, first resyncs) settle before measuring
    await().pollDelay(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(21)).until(() -> true);
    List<Integer> requestsBefore = requestCounts(sample);
    long ticksBefore = cpuTicks(pid);
    long start = System.nanoTime();

    await().pollDelay(WINDOW).atMost(WINDOW.plusSeconds(1)).until(() -> true);

    long ticks = cpuTicks(pid) - ticksBefore;
    double seconds = (System.nanoTime() - start) / 1e9;
    List<Integer> requestsAfter = requestCounts(sample);
    double cores = ticks / (double) clockTicksPerSecond() / seconds;
    List<Integer> probesPerPod = new ArrayList<>();
    for (int i = 0; i < sample.size(); i++) {
      probesPerPod.add(requestsAfter.get(i) - requestsBefore.get(i));
    }
    String figure =
        String.format(
            Locale.ROOT,
            "agent CPU with %d pods, %s readiness probe every 1s: %.1f%% of one core (%d ticks in %.1fs); "
                + "httpd requests per sampled pod in the window: %s; agent RSS %s",
            PODS,
            KIND,
            cores * 100,
            ticks,
            seconds,
            probesPerPod,
            rss(pid));
    System.out.println("[probe-load] " + figure);
    Files.writeString(
        Path.of(System.getProperty("java.io.tmpdir"), "staticlet-probe-load-" + KIND + ".txt"),
        figure + "\n");

    if (KIND.equals("httpGet")) {
      for (int n : probesPerPod) {
        assertTrue(
            n >= WINDOW.toSeconds() * 3 / 4 && n <= WINDOW.toSeconds() + 5,
            "each pod probed about once a second: " + figure);
      }
    }
    assertTrue(cores < MAX_CORES, figure);
  }

  private long agentPid() {
    return ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info()
                    .arguments()
                    .map(a -> String.join(" ", a).contains("--hostname-override " + node))
                    .orElse(false))
        .mapToLong(ProcessHandle::pid)
        .findFirst()
        .orElseThrow(() -> new AssertionError("agent process not found"));
  }

  private List<String> sampleContainers(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < PODS && ids.size() < n; i += PODS / n) {
      ContainerStatus s =
          agent
              .pod("load" + i + "-" + node)
              .orElseThrow()
              .getStatus()
              .getContainerStatuses()
              .get(0);
      ids.add(s.getContainerID().replaceFirst("^docker://", ""));
    }
    return ids;
  }

  /** Requests busybox httpd answered so far (it logs one line per response with -v). */
  private static List<Integer> requestCounts(List<String> containers) {
    List<Integer> counts = new ArrayList<>();
    for (String id : containers) {
      counts.add(
          (int) DockerCli.run("logs", id).lines().filter(l -> l.contains("response:")).count());
    }
    return counts;
  }

  /** utime + stime of the process, in clock ticks (fields 14 and 15 of /proc/pid/stat). */
  private static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String rss(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
          .filter(l -> l.startsWith("VmRSS:"))
          .map(l -> l.substring(6).strip())
          .findFirst()
          .orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }

  private static long clockTicksPerSecond() {
    String out = Commands.run(List.of("getconf", "CLK_TCK"), Duration.ofSeconds(10)).strip();
    return out.isEmpty() ? 100 : Long.parseLong(out);
  }
}
