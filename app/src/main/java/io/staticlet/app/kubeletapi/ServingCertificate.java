package io.staticlet.app.kubeletapi;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The kubelet API's serving certificate: {@code tlsCertFile}/{@code tlsPrivateKeyFile} when given,
 * else a self-signed one generated once as {@code <cert-dir>/kubelet.crt} and {@code kubelet.key}
 * (SANs: node name, host name, node IPs), as the kubelet does, and reused across restarts.
 * bouncycastle builds it (the JDK has no public certificate builder) and reads PKCS#1 and PKCS#8
 * keys.
 */
public record ServingCertificate(PrivateKey key, List<X509Certificate> chain) {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ServingCertificate.class);
  static final Duration VALIDITY = Duration.ofDays(365);

  public ServingCertificate {
    chain = List.copyOf(chain);
  }

  /** Reads a PEM certificate chain and its PEM private key; the message names the file. */
  public static ServingCertificate read(Path certFile, Path keyFile) {
    return new ServingCertificate(readKey(keyFile), readBundle(certFile));
  }

  /** Reads the certificates of a PEM file: a chain, or a CA bundle ({@code clientCAFile}). */
  public static List<X509Certificate> readBundle(Path file) {
    List<X509Certificate> certs = new ArrayList<>();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser pem = new PEMParser(r)) {
      for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          certs.add(new JcaX509CertificateConverter().getCertificate(holder));
        }
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(file + ": not a PEM certificate: " + e.getMessage(), e);
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException(file + ": no PEM certificate found");
    }
    return certs;
  }

  private static PrivateKey readKey(Path keyFile) {
    try (Reader r = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII);
        PEMParser pem = new PEMParser(r)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
        if (o instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(keyFile + ": not a PEM private key: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(keyFile + ": no unencrypted PEM private key found");
  }

  /**
   * The configured {@code certFile}/{@code keyFile} when given (they win, as the kubelet's {@code
   * tlsCertFile}/{@code tlsPrivateKeyFile} do), else the persisted self-signed certificate of
   * {@code certDir} ({@link #selfSigned}).
   */
  public static ServingCertificate forServing(
      Path certFile,
      Path keyFile,
      Path certDir,
      String nodeName,
      Collection<String> ips,
      Clock clock) {
    return certFile != null ? read(certFile, keyFile) : selfSigned(certDir, nodeName, ips, clock);
  }

  /**
   * The certificate of {@code pkiDir}: reused when {@code kubelet.crt} and {@code kubelet.key} are
   * there, readable and not expired at {@code clock}'s now, generated (and written atomically, the
   * key mode 0600) otherwise, as the kubelet does with its {@code --cert-dir}.
   */
  public static ServingCertificate selfSigned(
      Path pkiDir, String nodeName, Collection<String> ips, Clock clock) {
    Path cert = pkiDir.resolve("kubelet.crt");
    Path key = pkiDir.resolve("kubelet.key");
    if (Files.isRegularFile(cert) && Files.isRegularFile(key)) {
      try {
        ServingCertificate existing = read(cert, key);
        if (existing.chain().get(0).getNotAfter().toInstant().isAfter(clock.instant())) {
          return existing;
        }
        log.info("kubelet API certificate expired, generating a new one file={}", cert);
      } catch (IllegalArgumentException e) {
        log.warn("kubelet API certificate unreadable, generating a new one: {}", e.getMessage());
      }
    }
    try {
      ServingCertificate generated = generate(nodeName, ips, clock.instant());
      Files.createDirectories(pkiDir);
      writeAtomically(key, pem(generated.key()), true);
      writeAtomically(cert, pem(generated.chain().get(0)), false);
      return generated;
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(
          "cannot create the kubelet API certificate in " + pkiDir + ": " + e.getMessage(), e);
    }
  }

  static ServingCertificate generate(String nodeName, Collection<String> ips, Instant now)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048, new SecureRandom());
    KeyPair pair = generator.generateKeyPair();
    X500Name subject = new X500Name("CN=" + nodeName + "@" + now.getEpochSecond());
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            subject,
            new BigInteger(64, new SecureRandom()).abs(),
            Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(VALIDITY)),
            subject,
            pair.getPublic());
    LinkedHashSet<GeneralName> names = new LinkedHashSet<>();
    names.add(new GeneralName(GeneralName.dNSName, nodeName));
    String hostName = hostName();
    if (!hostName.isEmpty()) {
      names.add(new GeneralName(GeneralName.dNSName, hostName));
    }
    for (String ip : ips) {
      if (ip != null && !ip.isBlank()) {
        names.add(new GeneralName(GeneralName.iPAddress, ip));
      }
    }
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(names.toArray(GeneralName[]::new)));
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    builder.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    X509Certificate cert =
        new JcaX509CertificateConverter()
            .getCertificate(
                builder.build(
                    new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
    return new ServingCertificate(pair.getPrivate(), List.of(cert));
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
    } catch (IOException e) {
      return "";
    }
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    return out.toString();
  }

  private static void writeAtomically(Path file, String content, boolean secret)
      throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    if (secret) {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: nothing to restrict
      }
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
