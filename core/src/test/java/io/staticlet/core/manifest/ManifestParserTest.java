package io.staticlet.core.manifest;

import static io.staticlet.core.manifest.Fixtures.NODE;
import static io.staticlet.core.manifest.Fixtures.PATH;
import static io.staticlet.core.manifest.Fixtures.SEEN;
import static io.staticlet.core.manifest.Fixtures.parseFixture;
import static io.staticlet.core.manifest.Fixtures.parseYaml;
import static io.staticlet.core.manifest.Fixtures.parsed;
import static io.staticlet.core.manifest.Fixtures.rejection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import io.staticlet.core.pod.KubeletAnnotations;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestParserTest {
  @TempDir Path dir;

  @Test
  void yamlManifestBecomesADefaultedStaticPodNamedAfterTheNode() {
    StaticPod pod = parsed(ManifestParser.parse(Fixtures.bytes("web.yaml"), PATH, "Node1", SEEN));

    assertEquals(new PodKey("default", "web-node1"), pod.key());
    assertEquals(PATH, pod.source());
    assertEquals(SEEN, pod.seen());
    assertTrue(pod.uid().matches("[0-9a-f]{32}"), pod.uid());
    Pod k8s = pod.pod();
    assertEquals("web-node1", k8s.getMetadata().getName());
    assertEquals("default", k8s.getMetadata().getNamespace());
    assertEquals(pod.uid(), k8s.getMetadata().getUid());
    assertEquals("Node1", k8s.getSpec().getNodeName());
    assertEquals("Pending", k8s.getStatus().getPhase());
    assertEquals(pod.uid(), k8s.getMetadata().getAnnotations().get(KubeletAnnotations.CONFIG_HASH));
    assertEquals("file", k8s.getMetadata().getAnnotations().get(KubeletAnnotations.CONFIG_SOURCE));
    assertEquals(
        "2026-01-01T00:00:00.000000000Z",
        k8s.getMetadata().getAnnotations().get(KubeletAnnotations.CONFIG_SEEN));
    assertEquals("web", k8s.getMetadata().getLabels().get("app"));
    assertEquals(
        List.of(new Toleration("NoExecute", null, "Exists", null, null)),
        k8s.getSpec().getTolerations());
    assertEquals("Always", k8s.getSpec().getRestartPolicy());
    assertEquals("IfNotPresent", k8s.getSpec().getContainers().get(0).getImagePullPolicy());
    assertEquals(8080, k8s.getSpec().getContainers().get(0).getPorts().get(0).getHostPort());
  }

  @Test
  void seenKeepsNanosecondsAtFixedWidth() {
    StaticPod pod =
        parsed(
            ManifestParser.parse(
                Fixtures.bytes("web.yaml"),
                PATH,
                NODE,
                Instant.parse("2026-03-04T05:06:07.000120Z")));

    assertEquals(
        "2026-03-04T05:06:07.000120000Z",
        pod.pod().getMetadata().getAnnotations().get(KubeletAnnotations.CONFIG_SEEN));
  }

  @Test
  void jsonManifestGivesTheSamePodAsTheEquivalentYaml() {
    StaticPod yaml = parsed(parseFixture("web.yaml"));
    StaticPod json = parsed(parseFixture("web.json"));

    assertEquals(yaml, json);
  }

  @Test
  void readsTheFileFromDiskAndUsesItsAbsolutePathAsSource() throws IOException {
    Path file = Files.write(dir.resolve("web.yaml"), Fixtures.bytes("web.yaml"));

    StaticPod pod = parsed(ManifestParser.parse(file, NODE, SEEN));

    assertEquals(file.toAbsolutePath().normalize(), pod.source());
  }

  @Test
  void severalYamlDocumentsAreRejected() {
    ParseResult result = parseFixture("multi-doc.yaml");

    assertEquals(
        "contains 2 YAML documents; a manifest file must hold exactly one Pod", rejection(result));
    ParseResult.Rejected rejected = assertInstanceOf(ParseResult.Rejected.class, result);
    assertEquals(PATH, rejected.error().file());
    assertNull(rejected.error().pod());
  }

  @Test
  void leadingSeparatorAndTrailingEmptyDocumentAreAccepted() {
    assertEquals("single-node1", parsed(parseFixture("separators.yaml")).key().name());
  }

  @Test
  void podListIsRejected() {
    assertEquals(
        "kind PodList is not supported: a manifest file must hold one Pod",
        rejection(parseFixture("podlist.yaml")));
  }

  @Test
  void otherKindsAreRejected() {
    assertEquals(
        "kind Deployment is not supported: a manifest file must hold one Pod",
        rejection(parseFixture("deployment.yaml")));
  }

  @Test
  void missingKindIsRejected() {
    assertEquals(
        "kind is missing; a manifest file must hold one Pod (apiVersion: v1, kind: Pod)",
        rejection(parseFixture("no-kind.yaml")));
  }

  @Test
  void missingOrOtherApiVersionIsRejected() {
    assertTrue(
        rejection(parseYaml("kind: Pod\nmetadata: {name: a}\n"))
            .startsWith("apiVersion is missing"));
    assertEquals(
        "apiVersion v2 is not supported for kind Pod: expected v1",
        rejection(parseYaml("apiVersion: v2\nkind: Pod\nmetadata: {name: a}\n")));
  }

  @Test
  void emptyAndCommentOnlyFilesAreRejected() {
    assertEquals(
        "file is empty; a manifest file must hold exactly one Pod", rejection(parseYaml("")));
    assertEquals(
        "file is empty; a manifest file must hold exactly one Pod",
        rejection(parseYaml("# nothing\n---\n")));
  }

  @Test
  void aListOrScalarIsRejected() {
    assertEquals(
        "holds a list; a manifest file must hold exactly one Pod object",
        rejection(parseYaml("- a\n- b\n")));
    assertEquals(
        "holds a string; a manifest file must hold exactly one Pod object",
        rejection(parseYaml("hello\n")));
  }

  @Test
  void twoJsonObjectsInOneFileAreRejected() {
    assertEquals(
        "contains 2 JSON documents; a manifest file must hold exactly one Pod",
        rejection(
            parseYaml(
                "{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}\n{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}\n")));
  }

  @Test
  void fileOfTwelveMebibytesIsRejectedWithItsSize() throws IOException {
    Path big = dir.resolve("big.yaml");
    writeZeros(big, 12 * 1024 * 1024);

    ParseResult result = ManifestParser.parse(big, NODE, SEEN);

    assertEquals("file is 12.0 MiB; the limit is 10 MiB", rejection(result));
  }

  @Test
  void fileOfExactlyTenMebibytesIsRejected() throws IOException {
    Path big = dir.resolve("big.yaml");
    writeZeros(big, ManifestParser.MAX_FILE_BYTES);

    assertEquals(
        "file is 10.0 MiB; the limit is 10 MiB", rejection(ManifestParser.parse(big, NODE, SEEN)));
  }

  @Test
  void fileJustBelowTheLimitIsRead() throws IOException {
    Path file = dir.resolve("padded.yaml");
    byte[] manifest = Fixtures.bytes("web.yaml");
    String commentLine =
        "# " + "x".repeat(61) + "\n"; // 64 bytes: realistic lines, not one huge line
    int padding = ManifestParser.MAX_FILE_BYTES - 1 - manifest.length;
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(manifest);
      out.write(commentLine.repeat(padding / 64).getBytes());
      out.write(("#" + " ".repeat(padding % 64 - 2) + "\n").getBytes());
    }
    assertEquals(ManifestParser.MAX_FILE_BYTES - 1, Files.size(file));

    assertEquals("web-node1", parsed(ManifestParser.parse(file, NODE, SEEN)).key().name());
  }

  @Test
  void yamlSyntaxErrorNamesLineAndColumn() {
    String message = rejection(parseFixture("invalid-syntax.yaml"));

    assertTrue(message.startsWith("invalid YAML at line 9, column 13: "), message);
  }

  @Test
  void jsonSyntaxErrorNamesLine() {
    String message = rejection(parseYaml("{\"apiVersion\": \"v1\",\n \"kind\": \"Pod\",,\n}"));

    assertTrue(message.startsWith("invalid JSON at line 2, column 16: "), message);
  }

  @Test
  void duplicateKeysAreRejected() {
    String message =
        rejection(
            parseYaml(
                Fixtures.pod("web", "") + "  restartPolicy: Never\n  restartPolicy: Always\n"));

    assertTrue(
        message.contains("Duplicate field 'restartPolicy'") && message.contains("line 10"),
        message);
  }

  @Test
  void unknownFieldsAreWarningsNamingEveryPathAndThePodRunsWithoutThem() {
    ParseResult result =
        parseYaml(
            Fixtures.pod("web", "")
                    .replace(
                        "image: busybox:1.36",
                        "image: busybox:1.36\n    imagee: nginx\n    ports:\n    - containerPort: 80\n      hostport: 8080")
                + "  volumes:\n  - name: data\n    hostPath:\n      path: /data\n      kind: Directory\n"
                + "  futureField: {deep: [1, 2]}\n");

    ParseResult.Parsed parsed = assertInstanceOf(ParseResult.Parsed.class, result);
    assertEquals(
        List.of(
            "spec.containers[0].imagee",
            "spec.containers[0].ports[0].hostport",
            "spec.volumes[0].hostPath.kind",
            "spec.futureField"),
        parsed.unknownFields());
    assertEquals("busybox:1.36", parsed.pod().pod().getSpec().getContainers().get(0).getImage());
    assertTrue(
        parsed.pod().pod().getSpec().getAdditionalProperties().isEmpty(),
        "dropped, not carried along");
  }

  @Test
  void unknownFieldsDoNotChangeTheUid() {
    StaticPod plain = parsed(parseYaml(Fixtures.pod("web", "")));
    StaticPod withUnknown =
        parsed(
            parseYaml(
                Fixtures.pod("web", "")
                        .replace("image: busybox:1.36", "image: busybox:1.36\n    imagee: nginx")
                    + "  futureField: x\n"));

    assertEquals(plain.uid(), withUnknown.uid());
    assertEquals(plain, withUnknown);
  }

  @Test
  void inTheFixtureWithUnknownFieldsOnlyTheMissingImageIsAnError() {
    assertEquals(
        "spec.containers[0].image: Required value", rejection(parseFixture("unknown-fields.yaml")));
  }

  @Test
  void unknownTopLevelFieldIsAWarning() {
    ParseResult.Parsed parsed =
        assertInstanceOf(
            ParseResult.Parsed.class, parseYaml(Fixtures.pod("web", "") + "spek: {}\n"));

    assertEquals(List.of("spek"), parsed.unknownFields());
  }

  @Test
  void valueOfTheWrongTypeNamesFieldAndLine() {
    String message =
        rejection(
            parseYaml(
                Fixtures.pod("web", "")
                    .replace(
                        "image: busybox:1.36",
                        "image: busybox:1.36\n    ports:\n    - containerPort: http")));

    assertTrue(
        message.startsWith(
            "spec.containers[0].ports[0].containerPort: Invalid value: \"http\": expected an integer (line 10"),
        message);
  }

  @Test
  void explicitUidIsRejected() {
    String message = rejection(parseFixture("explicit-uid.yaml"));

    assertTrue(
        message.startsWith("metadata.uid: Forbidden: a static pod manifest may not set a UID"),
        message);
  }

  @Test
  void allProblemsOfAFileAreReportedTogether() {
    String message =
        rejection(
            parseYaml(
                """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          uid: fixed
        spec:
          serviceAccountName: admin
          containers:
          - name: App
        """));

    List<String> parts = List.of(message.split("; "));
    assertEquals(4, parts.size(), message);
    assertTrue(parts.get(0).startsWith("metadata.uid: Forbidden: "), parts.get(0));
    assertTrue(
        parts
            .get(1)
            .startsWith(
                "spec.containers[0].name: Invalid value: \"App\": a lowercase RFC 1123 label"),
        parts.get(1));
    assertEquals("spec.containers[0].image: Required value", parts.get(2));
    assertEquals(
        "spec.serviceAccountName: Forbidden: static pods may not reference serviceaccounts",
        parts.get(3));
  }

  @Test
  void aDirectoryIsRejectedNamingTheProblem() throws IOException {
    Path directory = Files.createDirectory(dir.resolve("not-a-file"));

    assertEquals(
        "is a directory, not a regular file; skipped",
        rejection(ManifestParser.parse(directory, NODE, SEEN)));
  }

  private static void writeZeros(Path file, int size) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(new byte[size]);
    }
  }
}
