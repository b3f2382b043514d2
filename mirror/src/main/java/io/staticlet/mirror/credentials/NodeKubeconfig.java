package io.staticlet.mirror.credentials;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A kubeconfig as the agent uses it: fabric8's {@link Config} of its current context, plus the
 * client certificate it names (embedded data or files, read here so their validity is known), and a
 * fingerprint of the kubeconfig and every file it names, so a change on disk is noticed.
 *
 * @param certificate empty when the kubeconfig authenticates otherwise (a token)
 */
public record NodeKubeconfig(
    Path file, Config config, Optional<ClientCertificate> certificate, String fingerprint) {

  /**
   * Reads {@code file}; a missing file, YAML error or unreadable certificate is a {@link
   * CredentialsException} naming it.
   */
  public static NodeKubeconfig read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CredentialsException("kubeconfig " + file + ": file does not exist");
    } catch (IOException e) {
      throw new CredentialsException("kubeconfig " + file + ": cannot read: " + e.getMessage(), e);
    }
    Config config;
    try {
      config =
          Config.fromKubeconfig(null, new String(bytes, StandardCharsets.UTF_8), file.toString());
    } catch (RuntimeException e) {
      throw new CredentialsException(
          "kubeconfig " + file + ": not a usable kubeconfig: " + e.getMessage(), e);
    }
    if (config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
      throw new CredentialsException(
          "kubeconfig " + file + ": the current context names no server");
    }
    MessageDigest digest = sha256();
    digest.update(bytes);
    String certPem =
        pemOf(
            file,
            "client-certificate",
            config.getClientCertData(),
            config.getClientCertFile(),
            digest);
    String keyPem =
        pemOf(file, "client-key", config.getClientKeyData(), config.getClientKeyFile(), digest);
    Optional<ClientCertificate> certificate = Optional.empty();
    if (certPem != null) {
      if (keyPem == null) {
        throw new CredentialsException(
            "kubeconfig " + file + ": client-certificate without client-key");
      }
      try {
        certificate = Optional.of(ClientCertificate.of(certPem, keyPem));
      } catch (IllegalArgumentException e) {
        throw new CredentialsException(
            "kubeconfig " + file + ": client certificate: " + e.getMessage(), e);
      }
      useCertificate(config, certificate.get());
    }
    return new NodeKubeconfig(file, config, certificate, HexFormat.of().formatHex(digest.digest()));
  }

  /** Points {@code config} at {@code certificate} (as data: the agent reads the files itself). */
  public static void useCertificate(Config config, ClientCertificate certificate) {
    Base64.Encoder b64 = Base64.getEncoder();
    config.setClientCertFile(null);
    config.setClientKeyFile(null);
    List<String> keys = Pem.blocks(certificate.keyPem(), "PRIVATE KEY");
    StringBuilder chain = new StringBuilder();
    Pem.blocks(certificate.certificatePem(), "CERTIFICATE").forEach(chain::append);
    config.setClientCertData(
        b64.encodeToString(chain.toString().getBytes(StandardCharsets.US_ASCII)));
    config.setClientKeyData(b64.encodeToString(keys.get(0).getBytes(StandardCharsets.US_ASCII)));
    if (keys.get(0).startsWith("-----BEGIN PRIVATE KEY-----") && isEc(keys.get(0))) {
      config.setClientKeyAlgo("EC");
    }
  }

  private static boolean isEc(String pkcs8Pem) {
    try {
      String body = pkcs8Pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      KeyFactory.getInstance("EC")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static String pemOf(
      Path kubeconfig, String field, String data, String fileName, MessageDigest digest) {
    if (data != null && !data.isBlank()) {
      try {
        return new String(Base64.getDecoder().decode(data.trim()), StandardCharsets.US_ASCII);
      } catch (IllegalArgumentException e) {
        throw new CredentialsException(
            "kubeconfig " + kubeconfig + ": " + field + "-data: not base64");
      }
    }
    if (fileName == null || fileName.isBlank()) {
      return null;
    }
    Path path = kubeconfig.toAbsolutePath().getParent().resolve(fileName);
    try {
      byte[] bytes = Files.readAllBytes(path);
      digest.update(bytes);
      return new String(bytes, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new CredentialsException(
          "kubeconfig " + kubeconfig + ": " + field + " " + path + ": file does not exist");
    } catch (IOException e) {
      throw new CredentialsException(
          "kubeconfig "
              + kubeconfig
              + ": "
              + field
              + " "
              + path
              + ": cannot read: "
              + e.getMessage(),
          e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
