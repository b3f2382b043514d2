package io.staticlet.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --bootstrap-kubeconfig}, {@code --cert-dir}, {@code --rotate-certificates} / {@code
 * rotateCertificates}.
 */
class CredentialFlagsTest {
  @TempDir Path dir;

  private AgentConfig parse(String... args) {
    return CommandLine.parsed(args).toConfig();
  }

  @Test
  void theKubeletDefaults() {
    AgentConfig c =
        parse(
            "--pod-manifest-path",
            dir.toString(),
            "--hostname-override",
            "n1",
            "--root-dir",
            dir.resolve("root").toString());
    assertNull(c.bootstrapKubeconfig());
    assertEquals(dir.resolve("root/pki"), c.certDir());
    assertFalse(c.rotateCertificates());
  }

  @Test
  void aKubeconfigThatDoesNotExistYetIsAccepted() {
    // TLS bootstrap writes it, or someone else does later: the connection is retried
    AgentConfig c =
        parse(
            "--pod-manifest-path",
            dir.toString(),
            "--hostname-override",
            "n1",
            "--kubeconfig",
            dir.resolve("kubelet.conf").toString());
    assertTrue(c.clusterMode());
  }

  @Test
  void bootstrapNeedsAKubeconfigToWriteAndMayBeMissing() throws IOException {
    ConfigException alone =
        assertThrows(
            ConfigException.class,
            () ->
                parse(
                    "--pod-manifest-path",
                    dir.toString(),
                    "--hostname-override",
                    "n1",
                    "--bootstrap-kubeconfig",
                    dir.resolve("b.conf").toString()));
    assertTrue(
        alone.getMessage().contains("--bootstrap-kubeconfig needs --kubeconfig"),
        alone.getMessage());
    // kubeadm's drop-in always names bootstrap-kubelet.conf, which kubeadm deletes after the join
    assertEquals(
        dir.resolve("b.conf"),
        parse(
                "--pod-manifest-path",
                dir.toString(),
                "--hostname-override",
                "n1",
                "--kubeconfig",
                dir.resolve("k.conf").toString(),
                "--bootstrap-kubeconfig",
                dir.resolve("b.conf").toString())
            .bootstrapKubeconfig());
    Path bootstrap = Files.writeString(dir.resolve("b.conf"), "apiVersion: v1\nkind: Config\n");
    AgentConfig c =
        parse(
            "--pod-manifest-path",
            dir.toString(),
            "--hostname-override",
            "n1",
            "--kubeconfig",
            dir.resolve("k.conf").toString(),
            "--bootstrap-kubeconfig",
            bootstrap.toString(),
            "--cert-dir",
            dir.resolve("pki").toString());
    assertEquals(bootstrap, c.bootstrapKubeconfig());
    assertEquals(dir.resolve("pki"), c.certDir());
  }

  @Test
  void rotateCertificatesComesFromTheFileOrTheFlag() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("config.yaml"),
            "apiVersion: kubelet.config.k8s.io/v1beta1\n"
                + "kind: KubeletConfiguration\nstaticPodPath: "
                + dir
                + "\nrotateCertificates: true\n");
    assertTrue(
        parse("--config", file.toString(), "--hostname-override", "n1").rotateCertificates());
    assertFalse(
        parse(
                "--config",
                file.toString(),
                "--hostname-override",
                "n1",
                "--rotate-certificates=false")
            .rotateCertificates());
    assertTrue(
        parse(
                "--pod-manifest-path",
                dir.toString(),
                "--hostname-override",
                "n1",
                "--rotate-certificates")
            .rotateCertificates());
    Path bad =
        Files.writeString(
            dir.resolve("bad.yaml"),
            "apiVersion: kubelet.config.k8s.io/v1beta1\n"
                + "kind: KubeletConfiguration\nstaticPodPath: "
                + dir
                + "\nrotateCertificates: yes please\n");
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> parse("--config", bad.toString(), "--hostname-override", "n1"));
    assertTrue(
        e.getMessage().contains("rotateCertificates") && e.getMessage().contains("bad.yaml"),
        e.getMessage());
  }
}
