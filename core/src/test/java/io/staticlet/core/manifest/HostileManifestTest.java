package io.staticlet.core.manifest;

import static io.staticlet.core.manifest.Fixtures.NODE;
import static io.staticlet.core.manifest.Fixtures.SEEN;
import static io.staticlet.core.manifest.Fixtures.parseYaml;
import static io.staticlet.core.manifest.Fixtures.parsed;
import static io.staticlet.core.manifest.Fixtures.rejection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.staticlet.core.pod.StaticPod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aliases as YAML means them, and hostile input (#15 point 4): each refused with a clear message.
 */
class HostileManifestTest {
  @TempDir Path dir;

  @Test
  void scalarAliasIsExpandedNotDecodedAsTheAnchorName() {
    StaticPod pod =
        parsed(
            parseYaml(
                """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels: {image: &img "busybox:1.36"}
        spec:
          containers:
          - name: app
            image: *img
        """));

    assertEquals("busybox:1.36", pod.pod().getSpec().getContainers().get(0).getImage());
  }

  @Test
  void collectionAliasesAreExpandedEverywhereTheyAppear() {
    StaticPod pod =
        parsed(
            parseYaml(
                """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
          - name: a
            image: busybox:1.36
            env: &env
            - {name: MODE, value: prod}
            - {name: LEVEL, value: &level "3"}
            command: &cmd [sleep, "3600"]
          - name: b
            image: busybox:1.36
            env: *env
            command: *cmd
            args: [*level]
        """));

    List<Container> containers = pod.pod().getSpec().getContainers();
    assertEquals(containers.get(0).getEnv(), containers.get(1).getEnv());
    assertEquals("3", containers.get(1).getEnv().get(1).getValue());
    assertEquals(List.of("sleep", "3600"), containers.get(1).getCommand());
    assertEquals(List.of("3"), containers.get(1).getArgs());
  }

  @Test
  void anAliasGivesTheSameUidAsTheValueWrittenOut() {
    StaticPod written = parsed(parseYaml(Fixtures.pod("web", "")));
    StaticPod aliased =
        parsed(
            parseYaml(
                Fixtures.pod("web", "")
                    .replace("- name: app", "- name: &n app")
                    .replace("image: busybox:1.36", "image: busybox:1.36\n    workingDir: /\n")));
    StaticPod aliasedImage =
        parsed(
            parseYaml(
                """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          containers:
          - name: app
            image: &i busybox:1.36
        """));

    assertEquals(written.uid(), aliasedImage.uid());
    assertTrue(!aliased.uid().equals(written.uid()), "a real change still changes the UID");
  }

  @Test
  void aliasWithoutAnAnchorIsRefused() {
    String message =
        rejection(
            parseYaml(Fixtures.pod("web", "").replace("image: busybox:1.36", "image: *alias")));

    assertEquals("alias *alias refers to no anchor defined before it (line 8, column 18)", message);
  }

  @Test
  void billionLaughsIsRefusedBeforeAnythingIsExpanded() {
    StringBuilder yaml =
        new StringBuilder("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n");
    yaml.append("    l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 10; i++) {
      yaml.append("    l").append(i).append(": &l").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        yaml.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
      }
      yaml.append("]\n");
    }
    yaml.append("spec: {containers: [{name: app, image: busybox}]}\n");

    String message = rejection(parseYaml(yaml.toString()));

    assertTrue(
        message.startsWith(
            "holds more than "
                + ManifestScan.MAX_VALUES
                + " values (YAML aliases expanded) (line "),
        message);
  }

  @Test
  void recursiveAliasIsRefused() {
    assertEquals(
        "alias *a refers to the anchor it is part of (line 3, column 23)",
        rejection(parseYaml("apiVersion: v1\nkind: Pod\nmetadata: &a {name: *a}\n")));
  }

  @Test
  void hundredThousandNestedBracketsAreRefusedInYamlAndJson() {
    String brackets = "[".repeat(100_000);

    String yaml = rejection(parseYaml("apiVersion: v1\nkind: Pod\nmetadata: " + brackets));
    String json =
        rejection(
            parseYaml("{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": " + brackets));

    assertEquals("invalid YAML: nested deeper than 1000 levels", yaml);
    assertEquals("invalid JSON: nested deeper than 1000 levels", json);
  }

  @Test
  void nulBytesAreRefused() {
    String message =
        rejection(parseYaml(Fixtures.pod("web", "").replace("busybox:1.36", "busy\0box")));

    assertEquals(
        "invalid YAML: character U+0000 at character 96 is not allowed in YAML "
            + "(NUL and other control characters cannot appear in a manifest)",
        message);
  }

  @Test
  void invalidUtf8IsRefused() {
    byte[] pod = Fixtures.pod("web", "").getBytes(StandardCharsets.UTF_8);
    byte[] broken = new byte[pod.length + 2];
    System.arraycopy(pod, 0, broken, 0, pod.length);
    broken[pod.length] = (byte) 0xff;
    broken[pod.length + 1] = (byte) 0xfe;

    String message = rejection(ManifestParser.parse(broken, Fixtures.PATH, NODE, SEEN));

    assertTrue(
        message.startsWith("invalid YAML: not UTF-8 text (Invalid UTF-8 start byte 0xff"), message);
  }

  @Test
  void annotationsOverTheApiLimitAreRefusedNamingTheField() {
    String exactly = "x".repeat(PodValidator.TOTAL_ANNOTATION_SIZE_LIMIT_BYTES - 1 - 300);
    String over = "x".repeat(PodValidator.TOTAL_ANNOTATION_SIZE_LIMIT_BYTES);

    parsed(
        parseYaml(
            Fixtures.pod("web", "")
                .replace("name: web", "name: web\n  annotations: {a: " + exactly + "}")));
    String message =
        rejection(
            parseYaml(
                Fixtures.pod("web", "")
                    .replace("name: web", "name: web\n  annotations: {a: " + over + "}")));

    assertEquals(
        "metadata.annotations: Too long: must have at most 262144 bytes (they have 262145)",
        message);
  }

  @Test
  void aHugeValueIsCutInTheMessage() {
    String message =
        rejection(
            parseYaml(
                Fixtures.pod("web", "")
                    .replace(
                        "image: busybox:1.36",
                        "image: busybox:1.36\n    ports:\n    - containerPort: "
                            + "9".repeat(100)
                            + "x")));

    assertTrue(message.length() < 300, message);
    assertTrue(message.contains("... (101 characters)"), message);
  }

  @Test
  void nearlyTenMebibyteAnnotationWithoutWhitespaceIsRefusedBeforeParsing() throws IOException {
    Path file = writeHuge("a".repeat(1024));

    String message = rejection(ManifestParser.parse(file, NODE, SEEN));

    assertTrue(
        message.startsWith(
            "line 6 (field huge): holds a value of more than 1024 KiB; refused before parsing"),
        message);
  }

  @Test
  void nearlyTenMebibyteAnnotationOfWordsOverManyLinesIsRefusedBeforeParsing() throws IOException {
    Path file =
        writeHuge(
            "lorem ipsum dolor sit amet consectetur adipiscing elit sed do e\n".substring(0, 64));

    String message = rejection(ManifestParser.parse(file, NODE, SEEN));

    assertTrue(
        message.startsWith(
            "line 6 (field huge): holds a value of more than 1024 KiB; refused before parsing"),
        message);
  }

  @Test
  void blockScalarOverTheLimitIsRefusedButManyNormalValuesAreNot() {
    String block =
        "    huge: |\n" + "      some text of a block scalar, line after line\n".repeat(25_000);
    String many = "    a%d: some text of a normal annotation value\n";
    StringBuilder normal = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      normal.append(many.formatted(i));
    }

    String message =
        LongValueScanTestSupport.check(
            Fixtures.pod("web", "").replace("name: web", "name: web\n  annotations:\n" + block));
    String fine =
        LongValueScanTestSupport.check(
            Fixtures.pod("web", "").replace("name: web", "name: web\n  annotations:\n" + normal));

    assertTrue(
        message != null
            && message.startsWith("line 6 (field huge): holds a value of more than 1024 KiB"),
        message);
    assertEquals(null, fine);
  }

  /** A pod whose one annotation fills the file to 9.9 MiB with {@code chunk}s. */
  private Path writeHuge(String chunk) throws IOException {
    Path file = dir.resolve("big.yaml");
    String head = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: big\n  annotations:\n    huge: \"";
    String tail = "\"\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n";
    int fill = (int) (9.9 * 1024 * 1024) - head.length() - tail.length();
    try (var out = Files.newBufferedWriter(file)) {
      out.write(head);
      for (int i = 0; i < fill / chunk.length(); i++) {
        out.write(chunk);
      }
      out.write(tail);
    }
    return file;
  }
}
