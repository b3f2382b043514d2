package io.staticlet.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
  @TempDir Path dir;

  private static AgentConfig parse(String... args) {
    return CommandLine.parsed(args).toConfig();
  }

  private Path config(String body) throws IOException {
    return Files.writeString(
        dir.resolve("config.yaml"),
        "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n" + body);
  }

  @Test
  void flagsAloneUseTheKubeletDefaults() {
    AgentConfig c = parse("--pod-manifest-path", dir.toString(), "--hostname-override", "Node1");

    assertEquals(dir.toAbsolutePath(), c.staticPodPath());
    assertEquals("node1", c.nodeName(), "lowercased like the kubelet");
    assertEquals(Duration.ofSeconds(20), c.fileCheckFrequency());
    assertEquals(Duration.ofMinutes(1), c.syncFrequency());
    assertEquals(10248, c.healthzPort());
    assertEquals("127.0.0.1", c.healthzBindAddress());
    assertEquals(10255, c.readOnlyPort());
    assertEquals(Path.of("/var/lib/staticlet"), c.rootDir());
    assertEquals("unix:///var/run/docker.sock", c.containerRuntimeEndpoint());
    assertEquals("registry.k8s.io/pause:3.10", c.podInfraContainerImage());
    assertEquals(-999, c.oomScoreAdj());
    assertFalse(c.clusterMode());
  }

  @Test
  void oomScoreAdjComesFromTheFileOrTheFlagAndIsRangeChecked() throws IOException {
    Path file = config("staticPodPath: manifests\noomScoreAdj: -500\n");

    assertEquals(
        -500, parse("--config", file.toString(), "--hostname-override", "n1").oomScoreAdj());
    assertEquals(
        10,
        parse("--config", file.toString(), "--hostname-override", "n1", "--oom-score-adj", "10")
            .oomScoreAdj());
    ConfigException flag =
        assertThrows(
            ConfigException.class,
            () ->
                parse(
                    "--pod-manifest-path",
                    dir.toString(),
                    "--hostname-override",
                    "n1",
                    "--oom-score-adj",
                    "-1001"));
    assertTrue(flag.getMessage().startsWith("--oom-score-adj"), flag.getMessage());
    Path bad = config("staticPodPath: manifests\noomScoreAdj: lots\n");
    ConfigException field =
        assertThrows(
            ConfigException.class,
            () -> parse("--config", bad.toString(), "--hostname-override", "n1"));
    assertTrue(
        field.getMessage().contains(bad.toString()) && field.getMessage().contains("oomScoreAdj"),
        field.getMessage());
  }

  @Test
  void configFileIsReadAndRelativePathsResolveAgainstItsDirectory() throws IOException {
    Path file =
        config(
            "staticPodPath: manifests\nfileCheckFrequency: 1m30s\nsyncFrequency: 45s\nhealthzPort: 0\n");

    AgentConfig c = parse("--config", file.toString(), "--hostname-override", "n1");

    assertEquals(dir.resolve("manifests"), c.staticPodPath());
    assertEquals(Duration.ofSeconds(90), c.fileCheckFrequency());
    assertEquals(Duration.ofSeconds(45), c.syncFrequency());
    assertEquals(0, c.healthzPort());
    assertEquals(
        0,
        c.readOnlyPort(),
        "like the kubelet: read-only port off when a config file does not set it");
  }

  @Test
  void flagsOverrideTheConfigFile() throws IOException {
    Path file = config("staticPodPath: manifests\nfileCheckFrequency: 1m\nreadOnlyPort: 10255\n");

    AgentConfig c =
        parse(
            "--config",
            file.toString(),
            "--hostname-override",
            "n1",
            "--pod-manifest-path",
            "/etc/kubernetes/manifests",
            "--file-check-frequency",
            "5s",
            "--read-only-port",
            "0");

    assertEquals(Path.of("/etc/kubernetes/manifests"), c.staticPodPath());
    assertEquals(Duration.ofSeconds(5), c.fileCheckFrequency());
    assertEquals(0, c.readOnlyPort());
  }

  @Test
  void badInputNamesTheFlagOrField() throws IOException {
    ConfigException noPath =
        assertThrows(ConfigException.class, () -> parse("--hostname-override", "n1"));
    assertTrue(noPath.getMessage().contains("--pod-manifest-path"), noPath.getMessage());

    ConfigException badDuration =
        assertThrows(
            ConfigException.class,
            () ->
                parse(
                    "--pod-manifest-path",
                    "/x",
                    "--hostname-override",
                    "n1",
                    "--sync-frequency",
                    "ten"));
    assertTrue(badDuration.getMessage().contains("--sync-frequency"), badDuration.getMessage());

    Path file = config("staticPodPath: m\nfileCheckFrequency: 20 seconds\n");
    ConfigException badField =
        assertThrows(
            ConfigException.class,
            () -> parse("--config", file.toString(), "--hostname-override", "n1"));
    assertTrue(
        badField.getMessage().contains(file.toString())
            && badField.getMessage().contains("fileCheckFrequency"),
        badField.getMessage());

    Path wrongKind = Files.writeString(dir.resolve("pod.yaml"), "apiVersion: v1\nkind: Pod\n");
    ConfigException kind =
        assertThrows(
            ConfigException.class,
            () -> parse("--config", wrongKind.toString(), "--hostname-override", "n1"));
    assertTrue(kind.getMessage().contains("KubeletConfiguration"), kind.getMessage());

    ConfigException node =
        assertThrows(
            ConfigException.class,
            () -> parse("--pod-manifest-path", "/x", "--hostname-override", "not_a_node"));
    assertTrue(node.getMessage().contains("--hostname-override"), node.getMessage());
  }

  @Test
  void goDurationsParseLikeKubeletConfiguration() {
    assertEquals(Duration.ofSeconds(20), GoDuration.parse("20s"));
    assertEquals(Duration.ofMillis(1500), GoDuration.parse("1.5s"));
    assertEquals(Duration.ofMinutes(61), GoDuration.parse("1h1m"));
    assertEquals(Duration.ofMillis(200), GoDuration.parse("200ms"));
    assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("20"));
    assertThrows(IllegalArgumentException.class, () -> GoDuration.parse("s20"));
  }
}
