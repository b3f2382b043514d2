package io.staticlet.mirror.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateFilesTest {
  private static final Instant T0 = Instant.parse("2026-03-04T05:06:07Z");
  @TempDir Path dir;
  private final TestCa ca = new TestCa();

  @Test
  void storesTimestampedFilesAndSwitchesTheCurrentSymlinkToTheNewest() throws Exception {
    CertificateFiles files = new CertificateFiles(dir.resolve("pki"));
    ClientCertificate first = ca.nodeCertificate("n", T0, T0.plus(Duration.ofDays(1)));
    ClientCertificate second =
        ca.nodeCertificate("n", T0.plusSeconds(60), T0.plus(Duration.ofDays(2)));

    Path firstFile = files.store(first, T0);
    Path secondFile = files.store(second, T0.plusSeconds(60));

    assertEquals(dir.resolve("pki/kubelet-client-2026-03-04-05-06-07.pem"), firstFile);
    assertEquals(dir.resolve("pki/kubelet-client-2026-03-04-05-07-07.pem"), secondFile);
    Path current = dir.resolve("pki/kubelet-client-current.pem");
    assertTrue(Files.isSymbolicLink(current));
    assertEquals(secondFile.getFileName(), Files.readSymbolicLink(current));
    assertEquals(second.notAfter(), files.current().orElseThrow().notAfter());
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secondFile)));
    try (Stream<Path> listing = Files.list(dir.resolve("pki"))) {
      assertEquals(
          List.of(
              "kubelet-client-2026-03-04-05-06-07.pem",
              "kubelet-client-2026-03-04-05-07-07.pem",
              "kubelet-client-current.pem"),
          listing.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void theFileHoldsTheCertificateThenTheKeyAsTheKubeletWritesIt() throws Exception {
    CertificateFiles files = new CertificateFiles(dir);
    ClientCertificate cert = ca.nodeCertificate("n", T0, T0.plus(Duration.ofDays(1)));

    String pem = Files.readString(files.store(cert, T0));

    assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----"), pem);
    assertTrue(
        pem.indexOf("-----BEGIN PRIVATE KEY-----") > pem.indexOf("-----END CERTIFICATE-----"), pem);
    assertEquals(cert.subject(), ClientCertificate.ofCombined(pem).subject());
  }

  @Test
  void twoCertificatesWithinOneSecondKeepBothFiles() {
    CertificateFiles files = new CertificateFiles(dir);
    Path a = files.store(ca.nodeCertificate("n", T0, T0.plusSeconds(600)), T0);
    Path b = files.store(ca.nodeCertificate("n", T0, T0.plusSeconds(601)), T0);
    assertTrue(!a.equals(b) && Files.exists(a) && Files.exists(b));
  }

  @Test
  void aRegularFileWhereTheSymlinkBelongsIsAnErrorNamingIt() throws Exception {
    Files.writeString(dir.resolve("kubelet-client-current.pem"), "not a link");
    CertificateFiles files = new CertificateFiles(dir);
    CredentialsException e =
        assertThrows(
            CredentialsException.class,
            () -> files.store(ca.nodeCertificate("n", T0, T0.plusSeconds(600)), T0));
    assertTrue(e.getMessage().contains("kubelet-client-current.pem"), e.getMessage());
  }

  @Test
  void noCurrentFileIsEmptyAndAGarbledOneIsAnErrorNamingIt() throws Exception {
    CertificateFiles files = new CertificateFiles(dir);
    assertTrue(files.current().isEmpty());
    Files.writeString(dir.resolve("kubelet-client-current.pem"), "garbage");
    CredentialsException e = assertThrows(CredentialsException.class, files::current);
    assertTrue(e.getMessage().contains("kubelet-client-current.pem"), e.getMessage());
  }

  @Test
  void aKeyOfAnotherCertificateIsRefused() {
    ClientCertificate a = ca.nodeCertificate("n", T0, T0.plusSeconds(600));
    ClientCertificate b = ca.nodeCertificate("n", T0, T0.plusSeconds(600));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClientCertificate.of(a.certificatePem(), b.keyPem()));
    assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
  }
}
