package io.staticlet.app.kubeletapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingCertificateTest {
  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(Instant.now());

  @Test
  void generatedOnceWithTheNodesNamesAndReusedAcrossRestarts() throws Exception {
    Path pki = dir.resolve("pki");
    ServingCertificate first =
        ServingCertificate.selfSigned(pki, "node1", List.of("127.0.0.1", "192.0.2.7"), clock);

    X509Certificate cert = first.chain().get(0);
    Set<String> sans =
        cert.getSubjectAlternativeNames().stream()
            .map(n -> String.valueOf(n.get(1)))
            .collect(Collectors.toSet());
    assertTrue(sans.containsAll(Set.of("node1", "127.0.0.1", "192.0.2.7")), sans.toString());
    cert.checkValidity();
    assertTrue(Files.isRegularFile(pki.resolve("kubelet.crt")));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve("kubelet.key"))));

    ServingCertificate again =
        ServingCertificate.selfSigned(pki, "node1", List.of("127.0.0.1"), clock);
    assertArrayEquals(
        cert.getEncoded(),
        again.chain().get(0).getEncoded(),
        "the same certificate after a restart");
    assertArrayEquals(first.key().getEncoded(), again.key().getEncoded());
  }

  @Test
  void givenFilesAreReadAndABadOneIsNamed() throws Exception {
    Path pki = dir.resolve("pki");
    ServingCertificate generated = ServingCertificate.selfSigned(pki, "node1", List.of(), clock);

    ServingCertificate read =
        ServingCertificate.read(pki.resolve("kubelet.crt"), pki.resolve("kubelet.key"));
    assertArrayEquals(generated.chain().get(0).getEncoded(), read.chain().get(0).getEncoded());

    Path bad = Files.writeString(dir.resolve("bad.crt"), "not a certificate\n");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ServingCertificate.read(bad, pki.resolve("kubelet.key")));
    assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
  }
}
