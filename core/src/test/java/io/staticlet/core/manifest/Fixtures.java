package io.staticlet.core.manifest;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.staticlet.core.pod.StaticPod;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;

/** Fixture manifests from src/test/resources/manifests and shortcuts to parse them. */
final class Fixtures {
  static final String NODE = "node1";
  static final Path PATH = Path.of("/etc/kubernetes/manifests/web.yaml");
  static final Instant SEEN = Instant.parse("2026-01-01T00:00:00Z");

  private Fixtures() {}

  static byte[] bytes(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/manifests/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ParseResult parseFixture(String name) {
    return ManifestParser.parse(bytes(name), PATH, NODE, SEEN);
  }

  static ParseResult parseYaml(String yaml) {
    return ManifestParser.parse(yaml.getBytes(StandardCharsets.UTF_8), PATH, NODE, SEEN);
  }

  static StaticPod parsed(ParseResult result) {
    return assertInstanceOf(ParseResult.Parsed.class, result, () -> "expected a pod, got " + result)
        .pod();
  }

  static String rejection(ParseResult result) {
    return assertInstanceOf(
            ParseResult.Rejected.class, result, () -> "expected a rejection, got " + result)
        .error()
        .message();
  }

  /** A valid pod with one container; {@code extraSpec} is inserted under spec (indented by 2). */
  static String pod(String name, String extraSpec) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
        spec:
          containers:
          - name: app
            image: busybox:1.36
        %s"""
        .formatted(name, extraSpec.indent(2));
  }
}
