package io.staticlet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentLaunchTest {
  private static AgentLaunch launch(List<String> jvm) {
    return new AgentLaunch(Path.of("/repo/deploy/bin/staticlet"), Path.of("/jdk/bin/java"), jvm, Map.of(),
        Path.of("/work/staticlet.jar"), "bench-b", Path.of("/work/m"), Path.of("/work/root"), Path.of("/work/log"), 8, null,
        10255, 10248, 10250);
  }

  @Test
  void startsTheAgentThroughTheLauncherWithItsOwnJvmSettings() {
    List<String> cmd = launch(List.of()).command();

    assertEquals(List.of("env", "STATICLET_JAR=/work/staticlet.jar", "JAVA=/jdk/bin/java", "STATICLET_JAVA_OPTS=",
        "/repo/deploy/bin/staticlet"), cmd.subList(0, 5));
    assertFalse(cmd.contains("-jar"), "no java -jar of the bench's own");
    assertTrue(cmd.stream().noneMatch(a -> a.startsWith("-X")), "no JVM flag unless asked for: " + cmd);
    assertEquals("--pod-manifest-path", cmd.get(5));
  }

  @Test
  void extraJvmOptionsGoToTheLaunchersStaticletJavaOpts() {
    List<String> cmd = launch(List.of("-Xmx96m", "-XX:SharedArchiveFile=/a.jsa")).command();

    assertEquals("STATICLET_JAVA_OPTS=-Xmx96m -XX:SharedArchiveFile=/a.jsa", cmd.get(3));
  }

  @Test
  void benchOptionsDefaultToNoJvmOptionsAndKnowB7AndB8() {
    BenchOptions options = BenchOptions.parse(new String[] {"--repo", "/repo", "--only", "B7,b8"});

    assertEquals(List.of(), options.agentJvmOptions());
    assertEquals(Path.of("/repo/deploy/bin/staticlet"), options.launcher());
    assertEquals(110, options.probedPods());
    assertTrue(options.runs("B7") && options.runs("B8") && !options.runs("B1"));
  }
}
