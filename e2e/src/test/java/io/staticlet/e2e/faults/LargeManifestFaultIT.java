package io.staticlet.e2e.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.testkit.Manifests;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * #15 point 3: a 9.9 MiB manifest (one huge annotation) under the shipped JVM settings (64 MiB
 * heap, exit on OutOfMemoryError): the agent stays up, the other pods are untouched, and the user
 * sees why the file was refused.
 */
class LargeManifestFaultIT extends ManifestFaultTest {
  private static final long SIZE = (long) (9.9 * 1024 * 1024);

  LargeManifestFaultIT() {
    super("bystander", "web");
  }

  @Test
  void nineDotNineMebibyteManifestsAreRefusedAndNothingElseIsTouched() throws IOException {
    Set<String> before = fault.runningIds();
    long baseline = AgentMetrics.heapUsed(agent);
    try (AgentMetrics.HeapSampler heap = new AgentMetrics.HeapSampler(agent)) {
      // a new file: one annotation of 9.9 MiB without whitespace
      writeHuge(manifests.resolve("big.yaml"), "big", "a".repeat(1024));
      await("big.yaml refused (/metrics)")
          .atMost(Duration.ofSeconds(120))
          .until(() -> AgentMetrics.value(agent, "staticlet_manifest_errors") == 1);

      // the running pod's own file edited into 9.9 MiB of text lines: refused, the last good
      // version keeps running
      Path tmp = work.resolve("web.yaml.new");
      writeHuge(
          tmp,
          "web",
          "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labo\n");
      Files.move(tmp, manifests.resolve("web.yaml"), StandardCopyOption.REPLACE_EXISTING);
      await("web.yaml's error on its running pod (/pods)")
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  fault
                      .manifestError("web")
                      .contains(
                          "web.yaml: line 6 (field huge): holds a value of more than 1024 KiB"));
      String hugeError = fault.manifestError("web");

      // 300 KiB of annotations: parsed, and refused by the API's 256 KiB limit on all annotations
      writeAnnotations(tmp, "web", 300 * 1024);
      Files.move(tmp, manifests.resolve("web.yaml"), StandardCopyOption.REPLACE_EXISTING);
      await("web.yaml's annotation error (/pods)")
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  fault
                      .manifestError("web")
                      .contains("metadata.annotations: Too long: must have at most 262144 bytes"));

      // a periodic re-list or two later: still up, nothing restarted
      await("agent up, pods untouched")
          .during(Duration.ofSeconds(5))
          .atMost(Duration.ofSeconds(60))
          .until(() -> agent.isAlive() && fault.runningIds().equals(before));
      Manifests.write(manifests.resolve("after.yaml"), Manifests.service("after"));
      await("a pod added afterwards starts")
          .atMost(Duration.ofSeconds(60))
          .until(() -> fault.runningIds().size() == 6);

      assertTrue(agent.isAlive(), "the agent survived");
      assertTrue(fault.runningIds().containsAll(before));
      long max = heap.maxBytes();
      long xmx = 64L * 1024 * 1024;
      assertTrue(
          max < xmx * 7 / 8, "heap stayed clear of the 64 MiB limit: " + AgentMetrics.mib(max));
      System.out.printf(
          "LargeManifestFaultIT: two %.1f MiB manifests under %s; heap used before %s, max sampled %s "
              + "(%d samples); web's /pods errors: [%s] then [%s]; containers unchanged (%d IDs)%n",
          SIZE / 1048576.0,
          "deploy/bin/staticlet (shipped JVM settings)",
          AgentMetrics.mib(baseline),
          AgentMetrics.mib(max),
          heap.samples(),
          hugeError,
          fault.manifestError("web"),
          before.size());
    }
    assertEquals(
        1,
        agent.pods().stream()
            .filter(p -> p.getMetadata().getName().equals("bystander-" + node))
            .count());
  }

  /** A valid pod with {@code bytes} of annotations, 1 KiB each. */
  private static void writeAnnotations(Path file, String name, int bytes) throws IOException {
    StringBuilder yaml =
        new StringBuilder(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  annotations:\n");
    for (int i = 0; i < bytes / 1024; i++) {
      yaml.append("    a").append(i).append(": ").append("v".repeat(1024)).append('\n');
    }
    yaml.append(Manifests.service(name).substring(Manifests.service(name).indexOf("spec:")));
    Files.writeString(file, yaml);
  }

  /**
   * A valid pod with one annotation that fills the file to {@link #SIZE} bytes with {@code chunk}s.
   */
  private static void writeHuge(Path file, String name, String chunk) throws IOException {
    String head =
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  annotations:\n    huge: \"";
    String tail =
        "\"\n" + Manifests.service(name).substring(Manifests.service(name).indexOf("spec:"));
    long fill = SIZE - head.length() - tail.length();
    try (Writer out = Files.newBufferedWriter(file)) {
      out.write(head);
      for (long i = 0; i < fill / chunk.length(); i++) {
        out.write(chunk);
      }
      out.write(tail);
    }
  }
}
