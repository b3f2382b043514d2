package io.staticlet.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.app.kubeletapi.ServingCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeletApiConfigTest {
  @TempDir Path dir;

  private KubeletApiConfig parse(String... args) {
    CommandLine flags = new CommandLine();
    new picocli.CommandLine(flags).parseArgs(args);
    return flags.toConfig().kubeletApi();
  }

  private String config(String body) throws IOException {
    return Files.writeString(
            dir.resolve("config.yaml"),
            "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nstaticPodPath: .\n"
                + body)
        .toString();
  }

  private String kubeconfig() throws IOException {
    return Files.writeString(dir.resolve("node.kubeconfig"), "apiVersion: v1\nkind: Config\n")
        .toString();
  }

  @Test
  void flagsAloneAreTheKubelet120FlagDefaults() {
    KubeletApiConfig c = parse("--pod-manifest-path", dir.toString(), "--hostname-override", "n1");

    assertEquals(KubeletApiConfig.flagDefaults(), c);
    assertEquals(10250, c.port());
    assertTrue(c.anonymousEnabled());
    assertEquals(KubeletApiConfig.ALWAYS_ALLOW, c.authorizationMode());
  }

  @Test
  void aConfigFileHasTheV1beta1DefaultsKubeadmReliesOn() throws IOException {
    KubeletApiConfig c =
        parse("--config", config(""), "--kubeconfig", kubeconfig(), "--hostname-override", "n1");

    assertFalse(c.anonymousEnabled());
    assertTrue(c.webhookEnabled());
    assertEquals(KubeletApiConfig.WEBHOOK, c.authorizationMode());
    assertEquals(Duration.ofMinutes(2), c.webhookCacheTtl());
    assertEquals(Duration.ofMinutes(5), c.authorizedTtl());
    assertEquals(Duration.ofSeconds(30), c.unauthorizedTtl());
  }

  @Test
  void certificateFilesThatAreNotPemAreNamedAtStart() throws IOException {
    Path junk = Files.writeString(dir.resolve("junk.crt"), "not a certificate\n");
    ConfigException ca =
        assertThrows(
            ConfigException.class,
            () ->
                parse(
                    "--pod-manifest-path",
                    dir.toString(),
                    "--hostname-override",
                    "n1",
                    "--client-ca-file",
                    junk.toString()));
    assertTrue(
        ca.getMessage().startsWith("--client-ca-file") && ca.getMessage().contains(junk.toString()),
        ca.getMessage());
    ConfigException cert =
        assertThrows(
            ConfigException.class,
            () ->
                parse(
                    "--pod-manifest-path",
                    dir.toString(),
                    "--hostname-override",
                    "n1",
                    "--tls-cert-file",
                    junk.toString(),
                    "--tls-private-key-file",
                    junk.toString()));
    assertTrue(
        cert.getMessage().startsWith("--tls-cert-file")
            && cert.getMessage().contains(junk.toString()),
        cert.getMessage());
  }

  @Test
  void fileFieldsAreReadRelativeToTheFileAndFlagsWin() throws IOException {
    ServingCertificate.selfSigned(dir.resolve("pki"), "ca", List.of(), Clock.systemUTC());
    Files.copy(dir.resolve("pki/kubelet.crt"), dir.resolve("ca.crt"));
    String file =
        config(
            """
        port: 11250
        authentication:
          x509:
            clientCAFile: ca.crt
          webhook:
            cacheTTL: 10s
          anonymous:
            enabled: true
        authorization:
          mode: AlwaysAllow
        enableDebuggingHandlers: false
        """);
    KubeletApiConfig c =
        parse(
            "--config",
            file,
            "--kubeconfig",
            kubeconfig(),
            "--hostname-override",
            "n1",
            "--anonymous-auth",
            "false");

    assertEquals(11250, c.port());
    assertEquals(dir.resolve("ca.crt"), c.clientCaFile());
    assertEquals(Duration.ofSeconds(10), c.webhookCacheTtl());
    assertFalse(c.anonymousEnabled());
    assertEquals(KubeletApiConfig.ALWAYS_ALLOW, c.authorizationMode());
    assertFalse(c.enableDebuggingHandlers());
    assertEquals(
        12250,
        parse(
                "--config",
                file,
                "--kubeconfig",
                kubeconfig(),
                "--hostname-override",
                "n1",
                "--port",
                "12250")
            .port());
  }

  @Test
  void booleansAreKubeletFlags() {
    assertTrue(
        CommandLine.parsed(
                "--pod-manifest-path",
                dir.toString(),
                "--hostname-override",
                "n1",
                "--anonymous-auth")
            .toConfig()
            .kubeletApi()
            .anonymousEnabled());
    assertFalse(
        CommandLine.parsed(
                "--pod-manifest-path",
                dir.toString(),
                "--hostname-override",
                "n1",
                "--anonymous-auth=false")
            .toConfig()
            .kubeletApi()
            .anonymousEnabled());
    assertFalse(
        CommandLine.parsed(
                "--pod-manifest-path",
                dir.toString(),
                "--hostname-override",
                "n1",
                "--enable-debugging-handlers=0")
            .toConfig()
            .kubeletApi()
            .enableDebuggingHandlers());
  }

  @Test
  void zeroPortAndDurationsAreTheDefaultsAsKubeadmWritesThem() throws IOException {
    String file =
        config(
            """
        port: 0
        authentication:
          webhook:
            cacheTTL: 0s
        authorization:
          webhook:
            cacheAuthorizedTTL: 0s
            cacheUnauthorizedTTL: 0s
        """);
    KubeletApiConfig c =
        parse("--config", file, "--kubeconfig", kubeconfig(), "--hostname-override", "n1");

    assertEquals(10250, c.port());
    assertEquals(Duration.ofMinutes(2), c.webhookCacheTtl());
    assertEquals(Duration.ofMinutes(5), c.authorizedTtl());
    assertEquals(Duration.ofSeconds(30), c.unauthorizedTtl());
  }

  @Test
  void aClientCaThatIsNotThereYetIsAcceptedTheKubeletApiWaitsForIt() {
    KubeletApiConfig c =
        parse(
            "--pod-manifest-path",
            dir.toString(),
            "--hostname-override",
            "n1",
            "--client-ca-file",
            dir.resolve("later/ca.crt").toString());

    assertEquals(dir.resolve("later/ca.crt"), c.clientCaFile());
  }

  @Test
  void standaloneRefusesWebhookModesAskedForWithOneMessage() throws IOException {
    ConfigException authz =
        assertThrows(
            ConfigException.class,
            () ->
                parse(
                    "--pod-manifest-path",
                    dir.toString(),
                    "--hostname-override",
                    "n1",
                    "--authorization-mode",
                    "Webhook"));
    assertTrue(
        authz.getMessage().contains("--authorization-mode Webhook")
            && authz.getMessage().contains("--kubeconfig"),
        authz.getMessage());
    String file = config("authentication:\n  webhook:\n    enabled: true\n");
    ConfigException authn =
        assertThrows(
            ConfigException.class, () -> parse("--config", file, "--hostname-override", "n1"));
    assertTrue(authn.getMessage().contains("authentication.webhook.enabled"), authn.getMessage());
  }

  @Test
  void standaloneWithAConfigFileThatSaysNothingFallsBackToNoWebhookAndAlwaysAllowAnonymousStaysOff()
      throws IOException {
    KubeletApiConfig c = parse("--config", config(""), "--hostname-override", "n1");

    assertFalse(c.webhookEnabled());
    assertEquals(KubeletApiConfig.ALWAYS_ALLOW, c.authorizationMode());
    assertFalse(c.anonymousEnabled());
  }

  @Test
  void badValuesNameTheFlagOrField() throws IOException {
    assertTrue(
        assertThrows(
                ConfigException.class,
                () ->
                    parse(
                        "--pod-manifest-path",
                        dir.toString(),
                        "--hostname-override",
                        "n1",
                        "--port",
                        "0"))
            .getMessage()
            .startsWith("--port"));
    assertTrue(
        assertThrows(
                ConfigException.class,
                () ->
                    parse(
                        "--pod-manifest-path",
                        dir.toString(),
                        "--hostname-override",
                        "n1",
                        "--authorization-mode",
                        "RBAC"))
            .getMessage()
            .startsWith("--authorization-mode"));
    String file = config("authorization:\n  mode: Nope\n");
    assertTrue(
        assertThrows(
                ConfigException.class, () -> parse("--config", file, "--hostname-override", "n1"))
            .getMessage()
            .contains("authorization.mode"));
    String badPort = config("port: 70000\n");
    assertTrue(
        assertThrows(
                ConfigException.class,
                () -> parse("--config", badPort, "--hostname-override", "n1"))
            .getMessage()
            .contains("port"));
  }
}
