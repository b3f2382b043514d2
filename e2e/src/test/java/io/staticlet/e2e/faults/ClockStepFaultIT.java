package io.staticlet.e2e.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.testkit.AgentProcess;
import io.staticlet.testkit.Command;
import io.staticlet.testkit.CommandResult;
import io.staticlet.testkit.DockerCli;
import io.staticlet.testkit.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault 8: the agent's wall clock is stepped back one hour during a crash loop; restarts keep the
 * 10–300 s schedule. The agent runs under libfaketime ({@code deploy/setup/ensure-faketime.sh})
 * with a timestamp file changed mid-test and the monotonic clock left alone, so only what the JVM
 * reads as wall-clock time ({@code Instant.now}) steps, as with NTP at boot. The engine's clock
 * (its event times, the containers' {@code finishedAt}) stays real.
 */
class ClockStepFaultIT {
  private static final Path LIBFAKETIME =
      Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1");

  @TempDir Path work;
  private final FaultNode faultNode = new FaultNode();
  private final String node = faultNode.name;
  private AgentProcess agent;

  @AfterEach
  void tearDown() {
    faultNode.close();
  }

  private Map<String, String> fakeTime(Path timestampFile) {
    assertTrue(
        Files.exists(LIBFAKETIME),
        LIBFAKETIME + " is missing: run deploy/setup/ensure-faketime.sh");
    return Map.of(
        "LD_PRELOAD",
        LIBFAKETIME.toString(),
        "FAKETIME_TIMESTAMP_FILE",
        timestampFile.toString(),
        "FAKETIME_DONT_FAKE_MONOTONIC",
        "1",
        "FAKETIME_CACHE_DURATION",
        "1");
  }

  @Test
  void aWallClockStepBackDuringACrashLoopKeepsTheRestartSchedule() throws Exception {
    verifyTheJvmHonoursTheStep();

    Path timestamp = Files.writeString(work.resolve("faketime"), "+0\n");
    Path manifests = Files.createDirectories(work.resolve("manifests"));
    String podName = "crash-" + node;
    Instant since = Instant.now().minusSeconds(1);
    try (DockerCli.StartEvents starts = DockerCli.startEvents(podName, since)) {
      Manifests.write(manifests.resolve("crash.yaml"), Manifests.pod("crash", "sleep 1; exit 1"));
      agent =
          faultNode.start(
              new AgentProcess(node, manifests, work, List.of())
                  .withEnvironment(fakeTime(timestamp)));

      // start, the immediate first restart, then the one after 10 s of back-off
      await("three starts of the crashing container")
          .atMost(Duration.ofSeconds(120))
          .until(() -> appStarts(starts).size() >= 3);
      Files.writeString(timestamp, "-1h\n"); // the agent's wall clock goes back an hour
      Instant third = appStarts(starts).get(2);

      await("the restart after 20 s of back-off, not an hour")
          .atMost(Duration.ofSeconds(150))
          .until(() -> appStarts(starts).size() >= 4);
      List<Instant> at = appStarts(starts);
      Duration gap = Duration.between(third, at.get(3));
      System.out.printf(
          "app starts (engine clock): %s; gap after the step: %d ms (back-off 20 s + 1 s run)%n",
          at.stream().map(i -> Duration.between(at.get(0), i).toMillis() + " ms").toList(),
          gap.toMillis());
      assertTrue(
          gap.compareTo(Duration.ofSeconds(15)) >= 0 && gap.compareTo(Duration.ofSeconds(120)) <= 0,
          "restart " + gap.toSeconds() + " s after the previous one");
    }
  }

  private static List<Instant> appStarts(DockerCli.StartEvents starts) {
    return starts.starts().stream()
        .filter(s -> s.name().startsWith("k8s_app_"))
        .map(DockerCli.StartEvents.Start::at)
        .toList();
  }

  /**
   * Under libfaketime with this set-up, a JVM's Instant.now steps back an hour and System.nanoTime
   * does not.
   */
  private void verifyTheJvmHonoursTheStep() throws IOException, InterruptedException {
    Path dir = Files.createDirectories(work.resolve("faketime-check"));
    Path file = Files.writeString(dir.resolve("faketime"), "+0\n");
    Path source =
        Files.writeString(
            dir.resolve("Check.java"),
            """
        public class Check {
          public static void main(String[] a) throws Exception {
            long wall0 = System.currentTimeMillis(), mono0 = System.nanoTime();
            java.nio.file.Files.writeString(java.nio.file.Path.of(a[0]), "-1h\\n");
            long mono1 = System.nanoTime();
            long wallStep = java.time.Instant.now().toEpochMilli() - wall0;
            System.out.println("wallStepMillis=" + wallStep + " monoMillis=" + (mono1 - mono0) / 1_000_000);
          }
        }
        """);
    Map<String, String> env = new HashMap<>(fakeTime(file));
    env.put("FAKETIME_NO_CACHE", "1"); // the check reads the step at once, no polling
    CommandResult check =
        Command.of("java", source.toString(), file.toString())
            .environment(env)
            .mergeStderr()
            .timeout(Duration.ofSeconds(120))
            .run();
    String out = check.stdout().strip();
    assertFalse(check.timedOut(), "the check ran: " + out);
    System.out.println("libfaketime check: " + out);
    long wallStep = Long.parseLong(out.replaceAll("(?s).*wallStepMillis=(-?\\d+).*", "$1"));
    long mono = Long.parseLong(out.replaceAll("(?s).*monoMillis=(-?\\d+).*", "$1"));
    assertTrue(
        wallStep < -3_500_000L && mono >= 0 && mono < 60_000,
        "Instant.now stepped back an hour, nanoTime did not: " + out);
  }
}
