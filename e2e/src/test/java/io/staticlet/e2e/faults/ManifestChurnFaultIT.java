package io.staticlet.e2e.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.testkit.AgentProcess;
import io.staticlet.testkit.Commands;
import io.staticlet.testkit.DockerCli;
import io.staticlet.testkit.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault 9: 10 000 manifest edits (10 000 distinct pod UIDs listed by the agent: 50 pods edited in
 * 200 rounds, one re-list per round) leave the heap after a full GC and the number of /metrics
 * series flat. The pods' image is absent with {@code imagePullPolicy: Never}, so every incarnation
 * also leaves start-failure and back-off state behind, which must go with it; the engine work stays
 * one pause container per incarnation that gets reconciled.
 */
class ManifestChurnFaultIT {
  private static final int PODS = 50;
  private static final int ROUNDS = 200;
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  @TempDir Path work;
  private final FaultNode faultNode = new FaultNode();
  private final String node = faultNode.name;
  private AgentProcess agent;

  @AfterEach
  void tearDown() {
    faultNode.close();
  }

  private static String pod(int i, int round) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: churn-%d
          annotations:
            round: "%d"
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: app
            image: staticlet/absent:1
            imagePullPolicy: Never
        """
        .formatted(i, round);
  }

  @Test
  void tenThousandEditsLeaveHeapAndMetricSeriesFlat() throws Exception {
    Path manifests = Files.createDirectories(work.resolve("manifests"));
    for (int i = 0; i < PODS; i++) {
      Manifests.write(manifests.resolve("churn-" + i + ".yaml"), pod(i, 0));
    }
    agent =
        faultNode.start(
            new AgentProcess(node, manifests, work, List.of("--file-check-frequency", "1m")));
    awaitAllShown(0);
    long[] at0 = measure("0 edits");

    long[] atHalf = null;
    for (int round = 1; round <= ROUNDS; round++) {
      for (int i = 0; i < PODS; i++) {
        Manifests.write(manifests.resolve("churn-" + i + ".yaml"), pod(i, round));
      }
      // a broken file toggled last: once the error count flips, a re-list has seen this round's
      // edits
      Path broken = manifests.resolve("zz-broken.yaml");
      boolean present = round % 2 == 1;
      if (present) {
        Manifests.write(broken, "kind: Pod\nmetadata: [\n");
      } else {
        Files.delete(broken);
      }
      int expected = present ? 1 : 0;
      await("round " + round + " listed")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> manifestErrors() == expected);
      if (round == ROUNDS / 2) {
        awaitAllShown(round);
        atHalf = measure((round * PODS) + " edits");
      }
    }
    awaitAllShown(ROUNDS);
    long[] atEnd = measure((ROUNDS * PODS) + " edits");

    System.out.printf(
        "heap after GC: %d KiB / %d KiB / %d KiB; /metrics series: %d / %d / %d (0 / 5k / 10k edits)%n",
        at0[0], atHalf[0], atEnd[0], at0[1], atHalf[1], atEnd[1]);
    assertTrue(
        atEnd[0] - atHalf[0] < 3 * 1024,
        "heap grew by more than 3 MiB between 5k and 10k edits: "
            + atHalf[0]
            + " -> "
            + atEnd[0]
            + " KiB");
    assertTrue(
        atEnd[1] <= atHalf[1],
        "metric series grew between 5k and 10k edits: " + atHalf[1] + " -> " + atEnd[1]);
    Set<String> uids =
        DockerCli.containersOfNode(node).stream()
            .map(DockerCli.Row::podUid)
            .collect(Collectors.toSet());
    assertTrue(
        uids.size() <= PODS, "at most one incarnation per pod left in the engine: " + uids.size());
  }

  private int manifestErrors() {
    Matcher m =
        Pattern.compile("(?m)^staticlet_manifest_errors(?:\\{[^}]*\\})? ([0-9.]+)$")
            .matcher(agent.metrics());
    return m.find() ? (int) Double.parseDouble(m.group(1)) : -1;
  }

  /** Every pod shows in /pods with the round's incarnation (it was reconciled at least once). */
  private void awaitAllShown(int round) {
    await("all pods of round " + round + " in /pods")
        .atMost(Duration.ofSeconds(180))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                agent.pods().stream()
                        .filter(
                            p ->
                                p.getMetadata().getAnnotations() != null
                                    && String.valueOf(round)
                                        .equals(p.getMetadata().getAnnotations().get("round"))
                                    && p.getStatus() != null
                                    && p.getStatus().getContainerStatuses() != null
                                    && !p.getStatus().getContainerStatuses().isEmpty())
                        .count()
                    == PODS);
  }

  /** Heap used after a full GC (KiB, from jcmd) and the number of series on /metrics. */
  private long[] measure(String when) throws IOException, InterruptedException {
    jcmd("GC.run");
    String heap = jcmd("GC.heap_info");
    long usedKib = 0;
    for (String line :
        heap.lines()
            .filter(l -> l.contains("generation"))
            .toList()) { // serial GC: young and tenured
      Matcher m = HEAP_USED.matcher(line);
      if (m.find()) {
        usedKib += Long.parseLong(m.group(1));
      }
    }
    long series = agent.metrics().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
    System.out.printf("%s: heap after GC %d KiB, /metrics series %d%n", when, usedKib, series);
    return new long[] {usedKib, series};
  }

  private String jcmd(String command) {
    return Commands.run(
        List.of("jcmd", String.valueOf(agent.pid()), command), Duration.ofSeconds(60));
  }
}
