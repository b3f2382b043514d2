package io.staticlet.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentLaunchTest {
  private static AgentLaunch.Builder launch() {
    return AgentLaunch.builder("node-a", Path.of("/work/m"), Path.of("/work"))
        .repo(Path.of("/repo"))
        .jar(Path.of("/work/staticlet.jar"))
        .java(Path.of("/jdk/bin/java"));
  }

  @Test
  void startsTheAgentThroughTheLauncherWithItsOwnJvmSettings() {
    AgentLaunch launch = launch().build();
    List<String> cmd = launch.command();

    assertEquals("/repo/deploy/bin/staticlet", cmd.get(0));
    assertEquals("--pod-manifest-path", cmd.get(1));
    assertFalse(cmd.contains("-jar"), "no java -jar of the harness's own");
    assertTrue(
        cmd.stream().noneMatch(a -> a.startsWith("-X")), "no JVM flag unless asked for: " + cmd);
    assertEquals("/work/staticlet.jar", launch.processEnvironment().get("STATICLET_JAR"));
    assertEquals("/jdk/bin/java", launch.processEnvironment().get("JAVA"));
    assertEquals("", launch.processEnvironment().get("STATICLET_JAVA_OPTS"));
  }

  @Test
  void extraJvmOptionsGoToTheLaunchersStaticletJavaOptsAndAnotherLauncherCanBeGiven() {
    AgentLaunch launch =
        launch()
            .jvmOptions(List.of("-Xmx96m", "-XX:SharedArchiveFile=/a.jsa"))
            .launcher(Path.of("/usr/bin/staticlet"))
            .build();

    assertEquals(
        "-Xmx96m -XX:SharedArchiveFile=/a.jsa",
        launch.processEnvironment().get("STATICLET_JAVA_OPTS"));
    assertEquals("/usr/bin/staticlet", launch.command().get(0));
  }
}
