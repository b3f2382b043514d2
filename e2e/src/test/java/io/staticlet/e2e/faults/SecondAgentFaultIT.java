package io.staticlet.e2e.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.testkit.AgentProcess;
import io.staticlet.testkit.Command;
import io.staticlet.testkit.CommandResult;
import io.staticlet.testkit.DockerCli;
import io.staticlet.testkit.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fault 10: a second agent with the same node name and root dir refuses to start. */
class SecondAgentFaultIT {
  @TempDir Path work;
  private final FaultNode faultNode = new FaultNode();
  private final String node = faultNode.name;
  private AgentProcess agent;

  @AfterEach
  void tearDown() {
    faultNode.close();
  }

  @Test
  void secondAgentOnTheSameRootDirExitsWith2NamingTheLockAndLeavesThePodAlone() throws Exception {
    Path manifests = Files.createDirectories(work.resolve("manifests"));
    Manifests.write(manifests.resolve("svc.yaml"), Manifests.service("svc"));
    agent = faultNode.start(new AgentProcess(node, manifests, work, List.of()));
    await("svc running")
        .atMost(Duration.ofSeconds(90))
        .until(() -> DockerCli.runningIds("svc-" + node).size() == 2);
    Set<String> before = Set.copyOf(DockerCli.runningIds("svc-" + node));

    // what an operator sees who starts a second staticlet by hand: its exit code and its message
    CommandResult second =
        Command.of(
                agent.launch().launcher().toString(),
                "--pod-manifest-path",
                manifests.toString(),
                "--hostname-override",
                node,
                "--root-dir",
                agent.rootDir().toString(),
                "--read-only-port",
                "0",
                "--healthz-port",
                "0")
            .environment(
                Map.of(
                    "STATICLET_JAR",
                    agent.launch().jar().toString(),
                    "JAVA",
                    agent.launch().java().toString()))
            .mergeStderr()
            .timeout(Duration.ofSeconds(60))
            .run();
    String out = second.stdout();
    assertFalse(second.timedOut(), "the second agent must exit, not run: " + out);
    System.out.println("second agent exit=" + second.exitCode() + " output: " + out.strip());

    assertEquals(2, second.exitCode(), out);
    assertTrue(out.contains(agent.rootDir().resolve("staticlet.lock").toString()), out);
    assertTrue(out.contains("pid=" + agent.pid()), "names the first agent's pid: " + out);
    assertTrue(agent.isAlive());
    assertEquals("ok", agent.healthz());
    assertEquals(
        before,
        DockerCli.runningIds("svc-" + node).stream().collect(Collectors.toSet()),
        "the first agent's pod is untouched");
  }
}
