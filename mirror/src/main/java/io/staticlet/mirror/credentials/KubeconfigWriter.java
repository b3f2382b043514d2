package io.staticlet.mirror.credentials;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes the kubeconfig the kubelet writes after TLS bootstrap ({@code
 * writeKubeconfigFromBootstrapping}): the bootstrap kubeconfig's server and CA, and {@code
 * client-certificate} and {@code client-key} both naming {@code kubelet-client-current.pem}, so
 * later rotations need no rewrite. Atomic (temporary file renamed), mode 0600.
 */
public final class KubeconfigWriter {
  private KubeconfigWriter() {}

  public static void write(Path target, Config bootstrap, Path pem) {
    StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n");
    if (bootstrap.getCaCertFile() != null && !bootstrap.getCaCertFile().isBlank()) {
      yaml.append("    certificate-authority: ")
          .append(quote(bootstrap.getCaCertFile()))
          .append('\n');
    } else if (bootstrap.getCaCertData() != null && !bootstrap.getCaCertData().isBlank()) {
      yaml.append("    certificate-authority-data: ")
          .append(quote(bootstrap.getCaCertData().trim()))
          .append('\n');
    }
    if (bootstrap.isTrustCerts()) {
      yaml.append("    insecure-skip-tls-verify: true\n");
    }
    yaml.append("    server: ")
        .append(quote(stripSlash(bootstrap.getMasterUrl())))
        .append('\n')
        .append("  name: default-cluster\n")
        .append(
            "contexts:\n- context:\n    cluster: default-cluster\n    namespace: default\n    user: default-auth\n")
        .append("  name: default-context\n")
        .append("current-context: default-context\n")
        .append("preferences: {}\n")
        .append("users:\n- name: default-auth\n  user:\n")
        .append("    client-certificate: ")
        .append(quote(pem.toString()))
        .append('\n')
        .append("    client-key: ")
        .append(quote(pem.toString()))
        .append('\n');
    try {
      Path dir = target.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path temp =
          Files.createTempFile(
              dir,
              "." + target.getFileName(),
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temp, yaml, StandardCharsets.UTF_8);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new CredentialsException(
          "cannot write kubeconfig " + target + ": " + e.getMessage(), e);
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** A JSON string is a YAML scalar. */
  private static String quote(String value) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
  }
}
