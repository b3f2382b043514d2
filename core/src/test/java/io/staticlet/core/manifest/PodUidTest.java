package io.staticlet.core.manifest;

import static io.staticlet.core.manifest.Fixtures.NODE;
import static io.staticlet.core.manifest.Fixtures.PATH;
import static io.staticlet.core.manifest.Fixtures.SEEN;
import static io.staticlet.core.manifest.Fixtures.parseFixture;
import static io.staticlet.core.manifest.Fixtures.parseYaml;
import static io.staticlet.core.manifest.Fixtures.parsed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PodUidTest {

  /**
   * DO NOT update these values casually. The UID of every static pod derives from the same
   * canonical form: if this test fails after a change to PodUid, SchemeDefaults, the fabric8 model
   * or Jackson, then upgrading the agent would give every running static pod a new UID, i.e.
   * restart every static pod on every node. Fix the change instead, or make the restart a
   * deliberate, release-noted decision and then update both values.
   */
  @Test
  void knownManifestKeepsItsUidForever() {
    assertEquals(
        "d34889fb6f93e8e26080e2febadf2505",
        uid(Fixtures.bytes("web.yaml"), "node1", Path.of("/etc/kubernetes/manifests/web.yaml")));
  }

  /** The canonical form behind the pinned UID: shows what changed when the test above fails. */
  @Test
  void knownManifestKeepsItsCanonicalForm() {
    Pod pod = ((PodDecoder.Decoded) PodDecoder.decode(Fixtures.bytes("web.yaml"))).pod();
    SchemeDefaults.apply(pod);

    assertEquals(
        new String(Fixtures.bytes("web.canonical.json"), StandardCharsets.UTF_8),
        PodUid.canonicalJsonString(pod));
  }

  @Test
  void writingEveryDefaultExplicitlyKeepsTheUid() {
    assertEquals(
        parsed(parseFixture("web.yaml")).uid(),
        parsed(parseFixture("web-explicit-defaults.yaml")).uid());
  }

  @Test
  void writingOneDefaultExplicitlyKeepsTheUid() {
    String plain = Fixtures.pod("web", "");

    assertEquals(
        parsed(parseYaml(plain)).uid(),
        parsed(parseYaml(plain + "  dnsPolicy: ClusterFirst\n")).uid());
    assertEquals(
        parsed(parseYaml(plain)).uid(), parsed(parseYaml(plain + "  securityContext: {}\n")).uid());
    assertEquals(
        parsed(parseYaml(plain)).uid(), parsed(parseYaml(plain + "  tolerations: []\n")).uid());
  }

  @Test
  void keyOrderAndFormatingDoNotMatter() {
    assertEquals(parsed(parseFixture("web.yaml")).uid(), parsed(parseFixture("web.json")).uid());
  }

  @Test
  void statusInTheManifestIsNotHashed() {
    String plain = Fixtures.pod("web", "");

    assertEquals(
        parsed(parseYaml(plain)).uid(),
        parsed(parseYaml(plain + "status:\n  phase: Running\n")).uid());
  }

  @Test
  void seenTimeIsNotHashed() {
    byte[] manifest = Fixtures.bytes("web.yaml");

    assertEquals(
        parsed(ManifestParser.parse(manifest, PATH, NODE, SEEN)).uid(),
        parsed(ManifestParser.parse(manifest, PATH, NODE, Instant.parse("2030-01-01T00:00:00Z")))
            .uid());
  }

  @Test
  void changingTheImageChangesTheUid() {
    String plain = Fixtures.pod("web", "");

    assertNotEquals(
        parsed(parseYaml(plain)).uid(),
        parsed(parseYaml(plain.replace("busybox:1.36", "busybox:1.37"))).uid());
  }

  @Test
  void changingALabelChangesTheUid() {
    String plain = Fixtures.pod("web", "");

    assertNotEquals(
        parsed(parseYaml(plain)).uid(),
        parsed(parseYaml(plain.replace("  name: web\n", "  name: web\n  labels: {tier: front}\n")))
            .uid());
  }

  @Test
  void sameManifestOnAnotherNodeGetsAnotherUid() {
    byte[] manifest = Fixtures.bytes("web.yaml");

    assertNotEquals(uid(manifest, "node1", PATH), uid(manifest, "node2", PATH));
  }

  @Test
  void sameManifestInAnotherFileGetsAnotherUid() {
    byte[] manifest = Fixtures.bytes("web.yaml");

    assertNotEquals(
        uid(manifest, NODE, PATH), uid(manifest, NODE, PATH.resolveSibling("web-copy.yaml")));
  }

  @Test
  void uidIsThirtyTwoLowercaseHexCharacters() {
    assertEquals(32, parsed(parseFixture("web.yaml")).uid().length());
    assertEquals(
        parsed(parseFixture("web.yaml")).uid(),
        parsed(parseFixture("web.yaml")).uid().toLowerCase());
  }

  @Test
  void canonicalFormDropsNullsAndEmptiesButKeepsFalseZeroAndEmptyString() {
    Pod pod =
        ((PodDecoder.Decoded)
                PodDecoder.decode(
                    """
        apiVersion: v1
        kind: Pod
        metadata: {name: a, labels: {}, annotations: {note: ""}}
        spec:
          hostPID: false
          activeDeadlineSeconds: 0
          nodeSelector: {}
          containers: [{name: c, image: i, args: [], env: [{name: E, value: ""}], resources: {}}]
        """
                        .getBytes(StandardCharsets.UTF_8)))
            .pod();

    assertEquals(
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"annotations\":{\"note\":\"\"},\"name\":\"a\"},"
            + "\"spec\":{\"activeDeadlineSeconds\":0,\"containers\":[{\"env\":[{\"name\":\"E\",\"value\":\"\"}],"
            + "\"image\":\"i\",\"name\":\"c\"}],\"hostPID\":false}}",
        PodUid.canonicalJsonString(pod));
  }

  private static String uid(byte[] manifest, String node, Path path) {
    return parsed(ManifestParser.parse(manifest, path, node, SEEN)).uid();
  }
}
