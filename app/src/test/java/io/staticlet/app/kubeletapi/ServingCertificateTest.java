package io.staticlet.app.kubeletapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
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

  @Test
  void anExpiredCertificateIsRegeneratedOnRestart() throws Exception {
    Path pki = dir.resolve("pki");
    ServingCertificate first = ServingCertificate.selfSigned(pki, "node1", List.of(), clock);

    clock.advance(ServingCertificate.VALIDITY.plusDays(1));
    ServingCertificate renewed = ServingCertificate.selfSigned(pki, "node1", List.of(), clock);

    assertFalse(
        Arrays.equals(first.chain().get(0).getEncoded(), renewed.chain().get(0).getEncoded()));
    assertTrue(renewed.chain().get(0).getNotAfter().toInstant().isAfter(clock.instant()));
    ServingCertificate persisted =
        ServingCertificate.read(pki.resolve("kubelet.crt"), pki.resolve("kubelet.key"));
    assertArrayEquals(
        renewed.chain().get(0).getEncoded(),
        persisted.chain().get(0).getEncoded(),
        "the new certificate replaced the file");
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve("kubelet.key"))));
  }

  @Test
  void anUnreadableCertificateIsRegenerated() throws Exception {
    Path pki = dir.resolve("pki");
    ServingCertificate.selfSigned(pki, "node1", List.of(), clock);
    Files.writeString(pki.resolve("kubelet.crt"), "truncated\n");

    ServingCertificate regenerated = ServingCertificate.selfSigned(pki, "node1", List.of(), clock);

    ServingCertificate persisted =
        ServingCertificate.read(pki.resolve("kubelet.crt"), pki.resolve("kubelet.key"));
    assertArrayEquals(
        regenerated.chain().get(0).getEncoded(), persisted.chain().get(0).getEncoded());
    assertArrayEquals(regenerated.key().getEncoded(), persisted.key().getEncoded());
  }

  @Test
  void configuredFilesWinOverTheCertDirectory() throws Exception {
    ServingCertificate configured =
        ServingCertificate.selfSigned(dir.resolve("operator"), "operator", List.of(), clock);
    Path pki = dir.resolve("pki");
    ServingCertificate.selfSigned(pki, "node1", List.of(), clock);

    ServingCertificate used =
        ServingCertificate.forServing(
            dir.resolve("operator/kubelet.crt"),
            dir.resolve("operator/kubelet.key"),
            pki,
            "node1",
            List.of(),
            clock);
    assertArrayEquals(configured.chain().get(0).getEncoded(), used.chain().get(0).getEncoded());

    ServingCertificate selfSigned =
        ServingCertificate.forServing(null, null, dir.resolve("fresh"), "node1", List.of(), clock);
    assertTrue(Files.isRegularFile(dir.resolve("fresh/kubelet.crt")));
    assertFalse(
        Arrays.equals(
            configured.chain().get(0).getEncoded(), selfSigned.chain().get(0).getEncoded()));
  }
}
