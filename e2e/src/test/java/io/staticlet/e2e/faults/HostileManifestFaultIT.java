package io.staticlet.e2e.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.staticlet.testkit.Commands;
import io.staticlet.testkit.Manifests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * #15 point 4 (and #10 item 2): hostile manifests are refused with a message the user sees on the
 * running pod in {@code /pods} (its last good version keeps running) or, for a file with no pod, on
 * {@code /metrics}; re-lists keep working; the heap does not spike. YAML aliases are expanded and
 * unknown fields only warn. The built agent under the shipped JVM settings.
 */
class HostileManifestFaultIT extends ManifestFaultTest {
  HostileManifestFaultIT() {
    super("victim");
  }

  @Test
  void hostileManifestsAreRefusedWithAMessageAndNothingElseIsDisturbed() throws Exception {
    Set<String> before = fault.runningIds();
    String victimUid = agent.pod("victim-" + node).orElseThrow().getMetadata().getUid();
    long baseline = AgentMetrics.heapUsed(agent);
    List<String> seen = new ArrayList<>();
    try (AgentMetrics.HeapSampler heap = new AgentMetrics.HeapSampler(agent)) {
      // each one as an edit of the running pod's file: the user sees the reason on the pod in /pods
      for (Map.Entry<String, byte[]> input : hostileInputs().entrySet()) {
        writeBytes(manifests.resolve("victim.yaml"), input.getValue());
        await("victim.yaml refused: " + input.getKey())
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    fault
                        .annotation("victim", "staticlet.io/manifest-error")
                        .contains(input.getKey()));
        seen.add(fault.annotation("victim", "staticlet.io/manifest-error"));
        assertEquals(before, fault.runningIds(), "the last good version keeps running");
      }
      Manifests.write(manifests.resolve("victim.yaml"), Manifests.service("victim"));
      await("victim.yaml fine again")
          .atMost(Duration.ofSeconds(60))
          .until(() -> fault.annotation("victim", "staticlet.io/manifest-error").isEmpty());

      // the same as new files (no pod to show them on: /metrics counts them), plus a FIFO named
      // x.yaml
      int i = 0;
      for (byte[] content : hostileInputs().values()) {
        writeBytes(manifests.resolve("hostile-" + i++ + ".yaml"), content);
      }
      Commands.run(
          List.of("mkfifo", manifests.resolve("x.yaml").toString()), Duration.ofSeconds(10));
      int expectedErrors = i + 1;
      await("every hostile file counted on /metrics")
          .atMost(Duration.ofSeconds(60))
          .until(() -> fault.manifestErrors() == expectedErrors);

      // re-lists keep working: an alias manifest and a manifest with unknown fields start
      Manifests.write(
          manifests.resolve("aliased.yaml"),
          """
          apiVersion: v1
          kind: Pod
          metadata:
            name: aliased
            labels: {image: &img "%s"}
          spec:
            terminationGracePeriodSeconds: 5
            containers:
            - name: app
              image: *img
              command: &cmd ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
          """
              .formatted(Manifests.IMAGE));
      Manifests.write(
          manifests.resolve("future.yaml"),
          Manifests.service("future")
              .replace("containers:", "futureField: {enabled: true}\n  containers:")
              .replace("image: ", "imagePullPolicyy: Sometimes\n    image: "));
      await("aliased and future running")
          .atMost(Duration.ofSeconds(120))
          .until(() -> fault.runningIds().size() == 6);
      await("the FIFO did not block the re-list, errors still counted")
          .during(Duration.ofSeconds(4))
          .atMost(Duration.ofSeconds(30))
          .until(() -> fault.manifestErrors() == expectedErrors && agent.isAlive());

      Pod aliased = agent.pod("aliased-" + node).orElseThrow();
      assertEquals(
          Manifests.IMAGE,
          aliased.getSpec().getContainers().get(0).getImage(),
          "the alias is expanded");
      String warnings = fault.annotation("future", "staticlet.io/manifest-warnings");
      assertTrue(
          warnings.endsWith(
              "future.yaml: unknown fields ignored: spec.futureField, spec.containers[0].imagePullPolicyy"),
          warnings);
      assertEquals(victimUid, agent.pod("victim-" + node).orElseThrow().getMetadata().getUid());
      assertTrue(
          fault.runningIds().containsAll(before), "the victim kept its containers throughout");
      long max = heap.maxBytes();
      assertTrue(
          max < 64L * 1024 * 1024 * 7 / 8,
          "heap stayed clear of the 64 MiB limit: " + AgentMetrics.mib(max));
      System.out.printf(
          "HostileManifestFaultIT: heap used before %s, max sampled %s (%d samples) under -Xmx64m; "
              + "staticlet_manifest_errors=%d for %d hostile files and a FIFO; /pods errors seen on the running pod:%n  %s%n"
              + "  alias expanded to image %s; unknown-field warning on /pods: %s%n",
          AgentMetrics.mib(baseline),
          AgentMetrics.mib(max),
          heap.samples(),
          expectedErrors,
          i,
          String.join("\n  ", seen),
          aliased.getSpec().getContainers().get(0).getImage(),
          warnings);
    }
  }

  private static void writeBytes(Path file, byte[] content) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.write(tmp, content);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static Map<String, byte[]> hostileInputs() {
    Map<String, byte[]> inputs = new LinkedHashMap<>();
    StringBuilder laughs =
        new StringBuilder("apiVersion: v1\nkind: Pod\nmetadata:\n  name: victim\n  annotations:\n");
    laughs.append("    l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 10; i++) {
      laughs.append("    l").append(i).append(": &l").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        laughs.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
      }
      laughs.append("]\n");
    }
    laughs.append(
        Manifests.service("victim").substring(Manifests.service("victim").indexOf("spec:")));
    inputs.put("holds more than 200000 values (YAML aliases expanded)", utf8(laughs.toString()));
    inputs.put(
        "alias *alias refers to no anchor defined before it",
        utf8(Manifests.service("victim").replace("image: " + Manifests.IMAGE, "image: *alias")));
    inputs.put(
        "nested deeper than 1000 levels",
        utf8("apiVersion: v1\nkind: Pod\nmetadata: " + "[".repeat(100_000) + "\n"));
    inputs.put(
        "character U+0000 at character",
        utf8(Manifests.service("victim").replace("name: app", "name: a\0pp")));
    byte[] valid = utf8(Manifests.service("victim").replace("name: app", "name: app-XX"));
    int at = new String(valid, StandardCharsets.ISO_8859_1).indexOf("-XX");
    valid[at + 1] = (byte) 0xff;
    valid[at + 2] = (byte) 0xfe;
    inputs.put("not UTF-8 text", valid);
    return inputs;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
