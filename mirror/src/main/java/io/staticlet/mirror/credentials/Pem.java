package io.staticlet.mirror.credentials;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** PEM blocks: encoding, and the X.509 certificates of a PEM file (the JDK's own parser). */
final class Pem {
  private Pem() {}

  static String encode(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  /** Every CERTIFICATE block of {@code pem}, leaf first; other blocks (a key) are skipped. */
  static List<X509Certificate> certificates(String pem) {
    List<X509Certificate> certs = new ArrayList<>();
    String begin = "-----BEGIN CERTIFICATE-----";
    String end = "-----END CERTIFICATE-----";
    int at = pem.indexOf(begin);
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      while (at >= 0) {
        int stop = pem.indexOf(end, at);
        if (stop < 0) {
          throw new IllegalArgumentException("unterminated CERTIFICATE block");
        }
        String block = pem.substring(at, stop + end.length());
        certs.add(
            (X509Certificate)
                factory.generateCertificate(
                    new ByteArrayInputStream(block.getBytes(StandardCharsets.US_ASCII))));
        at = pem.indexOf(begin, stop);
      }
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not a valid certificate: " + e.getMessage(), e);
    }
    return certs;
  }

  /** The PEM blocks of type {@code type} (e.g. a key's {@code PRIVATE KEY}), verbatim. */
  static List<String> blocks(String pem, String typeSuffix) {
    List<String> blocks = new ArrayList<>();
    int at = pem.indexOf("-----BEGIN ");
    while (at >= 0) {
      int lineEnd = pem.indexOf("-----", at + 11);
      if (lineEnd < 0) {
        break;
      }
      String type = pem.substring(at + 11, lineEnd);
      String end = "-----END " + type + "-----";
      int stop = pem.indexOf(end, lineEnd);
      if (stop < 0) {
        break;
      }
      if (type.endsWith(typeSuffix)) {
        blocks.add(pem.substring(at, stop + end.length()) + "\n");
      }
      at = pem.indexOf("-----BEGIN ", stop);
    }
    return blocks;
  }
}
