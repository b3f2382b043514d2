package io.staticlet.e2e.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.testkit.DockerCli;
import io.staticlet.testkit.Manifests;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * #15 point 5: a manifest written half, then completed at least a second later (the writer keeps
 * the file open in between, as a slow copy does). The README's rule: a file is used as it is
 * whenever it is read; a half file does not parse, so a new one starts nothing and an existing one
 * keeps its last good pod (DECISIONS.md 8); the completed file then changes the UID once. What the
 * engine did is read from {@code docker events} (every container start, with the UID in its name).
 */
class HalfWrittenManifestFaultIT extends ManifestFaultTest {
  HalfWrittenManifestFaultIT() {
    super("web");
  }

  @Test
  void halfWrittenEditOfARunningPodChangesTheUidOnceWhenComplete() throws IOException {
    String oldUid = fault.uid("web");
    Set<String> oldIds = fault.runningIds("web");
    byte[] edited =
        Manifests.service("web")
            .replace("terminationGracePeriodSeconds: 5", "terminationGracePeriodSeconds: 6")
            .getBytes(StandardCharsets.UTF_8);
    try (DockerCli.StartEvents events = DockerCli.startEvents("web-" + node, Instant.now())) {
      Instant firstHalf;
      try (OutputStream out =
          Files.newOutputStream(manifests.resolve("web.yaml"))) { // truncates, like cat > file
        out.write(edited, 0, cut(edited));
        out.flush();
        firstHalf = Instant.now();
        await("the half file is seen and refused, a second at least")
            .pollDelay(Duration.ofSeconds(1))
            .atMost(Duration.ofSeconds(60))
            .until(() -> fault.manifestError("web").contains("invalid YAML"));
        assertEquals(oldIds, fault.runningIds("web"), "the last good version keeps running");
        assertEquals(oldUid, fault.uid("web"));
        out.write(edited, cut(edited), edited.length - cut(edited));
      }
      Duration gap = Duration.between(firstHalf, Instant.now());
      await("the completed edit runs")
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  !fault.uid("web").equals(oldUid)
                      && fault.runningIds("web").size() == 2
                      && fault.manifestError("web").isEmpty());
      String newUid = fault.uid("web");

      await("no further change (started: " + startedUids(events) + ")")
          .during(Duration.ofSeconds(4))
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> fault.uid("web").equals(newUid) && startedUids(events).equals(Set.of(newUid)));
      System.out.printf(
          "HalfWrittenManifestFaultIT edit: half written, completed %d ms later; the half was refused on /pods "
              + "while %s kept running; UIDs started by the engine since: %s (one change: %s -> %s)%n",
          gap.toMillis(), oldUid, startedUids(events), oldUid, newUid);
    }
  }

  @Test
  void halfWrittenNewFileStartsNothingUntilComplete() throws IOException {
    byte[] content = Manifests.service("fresh").getBytes(StandardCharsets.UTF_8);
    try (DockerCli.StartEvents events = DockerCli.startEvents("fresh-" + node, Instant.now())) {
      Instant firstHalf;
      try (OutputStream out = Files.newOutputStream(manifests.resolve("fresh.yaml"))) {
        out.write(content, 0, cut(content));
        out.flush();
        firstHalf = Instant.now();
        await("the half file is counted as an error, a second at least")
            .pollDelay(Duration.ofSeconds(1))
            .atMost(Duration.ofSeconds(60))
            .until(() -> AgentMetrics.value(agent, "staticlet_manifest_errors") == 1);
        assertEquals(List.of(), events.starts(), "nothing started for the half file");
        out.write(content, cut(content), content.length - cut(content));
      }
      Duration gap = Duration.between(firstHalf, Instant.now());
      await("the completed file runs")
          .atMost(Duration.ofSeconds(120))
          .until(() -> fault.runningIds("fresh").size() == 2);
      String uid = fault.uid("fresh");

      await("one incarnation only")
          .during(Duration.ofSeconds(4))
          .atMost(Duration.ofSeconds(30))
          .until(() -> startedUids(events).equals(Set.of(uid)) && events.starts().size() == 2);
      assertEquals(0, AgentMetrics.value(agent, "staticlet_manifest_errors"));
      assertTrue(fault.runningIds("web").size() == 2);
      System.out.printf(
          "HalfWrittenManifestFaultIT new file: half written, completed %d ms later; containers started: %d, "
              + "all of UID %s%n",
          gap.toMillis(), events.starts().size(), uid);
    }
  }

  /** The UIDs in the names of the containers started ({@code k8s_<ctr>_<pod>_<ns>_<uid>_<n>}). */
  private static Set<String> startedUids(DockerCli.StartEvents events) {
    return events.starts().stream()
        .map(s -> s.name().split("_")[4])
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Cuts inside the command's flow sequence, so the first half is not a complete YAML document. */
  private static int cut(byte[] content) {
    return new String(content, StandardCharsets.UTF_8).indexOf("command:") + 20;
  }
}
