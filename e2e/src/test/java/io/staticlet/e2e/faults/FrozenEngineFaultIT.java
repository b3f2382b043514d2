package io.staticlet.e2e.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Pod;
import io.staticlet.testkit.AgentProcess;
import io.staticlet.testkit.CommandFailedException;
import io.staticlet.testkit.CommandResult;
import io.staticlet.testkit.Commands;
import io.staticlet.testkit.DockerCli;
import io.staticlet.testkit.Manifests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fault 6: the engine frozen with SIGSTOP for longer than every engine deadline, then restarted,
 * then a sandbox removed by hand. Runs its own dockerd (own socket, data-root, exec-root, pidfile,
 * its own bridge interface, no iptables; the two local images loaded into it) so the shared engine
 * is never frozen; the pods use the host network. Not {@code --bridge=none}: a dockerd started with
 * it deletes the host's {@code docker0}, the shared engine's bridge.
 */
class FrozenEngineFaultIT {
  /** Longer than the 30 s command deadline and a 1 s pod's stop deadline (1 s + 15 s). */
  private static final Duration FREEZE = Duration.ofSeconds(50);

  private Path dir;
  private String socket;
  private String bridge;
  private Process dockerd;
  private long dockerdPid;
  private AgentProcess agent;
  private final String node = "e2e-flt-" + UUID.randomUUID().toString().substring(0, 8);

  @AfterEach
  void tearDown() throws Exception {
    if (dockerdPid > 0) {
      signal("CONT", dockerdPid);
    }
    if (agent != null) {
      agent.close();
      System.out.println("==== agent log ====\n" + agent.log());
    }
    if (dockerd != null) {
      String ids = docker("ps", "-aq").strip();
      if (!ids.isEmpty()) {
        List<String> rm = new ArrayList<>(List.of("rm", "-f"));
        rm.addAll(Arrays.asList(ids.split("\\s+")));
        docker(rm.toArray(String[]::new));
      }
      stopDockerd();
    }
    if (bridge != null) {
      run("ip", "link", "del", bridge);
    }
    if (dir != null) {
      // dockerd leaves its exec-root's network namespace mounted
      run(
          "sh",
          "-c",
          "grep ' " + dir + "/' /proc/mounts | cut -d' ' -f2 | sort -r | xargs -r umount");
      run("rm", "-rf", dir.toString());
    }
  }

  @Test
  void aFrozenEngineIsReportedEditsStillShowAndEverythingConvergesAfterwards() throws Exception {
    dir = Files.createTempDirectory(Path.of("/tmp"), "sdk-"); // a unix socket path must stay short
    socket = "unix://" + dir.resolve("docker.sock");
    bridge = "sdk" + UUID.randomUUID().toString().substring(0, 8);
    run("ip", "link", "add", bridge, "type", "bridge");
    run("ip", "addr", "add", "10.231.77.1/24", "dev", bridge);
    run("ip", "link", "set", bridge, "up");
    startDockerd();
    loadImages();
    Path work = Files.createDirectories(dir.resolve("work"));
    Path manifests = Files.createDirectories(work.resolve("manifests"));
    Manifests.write(manifests.resolve("svc.yaml"), hostNetworkService("svc"));
    agent =
        new AgentProcess(
                node,
                manifests,
                work,
                List.of("--container-runtime-endpoint", socket, "--file-check-frequency", "2s"))
            .start();
    await("svc running").atMost(Duration.ofSeconds(90)).until(() -> running("svc") == 2);

    // 1. freeze the engine
    signal("STOP", dockerdPid);
    long frozenAt = System.nanoTime();
    Manifests.write(manifests.resolve("added.yaml"), hostNetworkService("added"));
    String unhealthy =
        await("/healthz unhealthy naming the engine")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(250))
            .until(agent::healthz, h -> h.startsWith("unhealthy") && h.contains("engine"));
    long unhealthyAfter = (System.nanoTime() - frozenAt) / 1_000_000;
    Pod added =
        await("the new manifest shows in /pods while the engine is frozen")
            .atMost(FREEZE.minusSeconds(5))
            .pollInterval(Duration.ofMillis(250))
            .until(() -> agent.pod("added-" + node).orElse(null), p -> p != null);
    long shownAfter = (System.nanoTime() - frozenAt) / 1_000_000;
    System.out.printf(
        "frozen: /healthz unhealthy after %d ms (%s); added pod in /pods after %d ms, phase %s: %s%n",
        unhealthyAfter,
        unhealthy.strip(),
        shownAfter,
        added.getStatus().getPhase(),
        added.getStatus().getMessage());
    await("the freeze lasts longer than every deadline")
        .pollDelay(FREEZE.minusNanos(System.nanoTime() - frozenAt))
        .atMost(FREEZE.plusSeconds(10))
        .until(agent::isAlive);

    // 2. thaw: everything converges
    signal("CONT", dockerdPid);
    long thawedAt = System.nanoTime();
    await("converged after SIGCONT")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> "ok".equals(agent.healthz()) && running("svc") == 2 && running("added") == 2);
    System.out.printf(
        "thawed: converged after %d ms%n", (System.nanoTime() - thawedAt) / 1_000_000);
    assertNoDuplicates();

    // 3. the engine restarts (its containers die with it)
    stopDockerd();
    startDockerd();
    long restartedAt = System.nanoTime();
    await("converged after the engine restarted")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> "ok".equals(agent.healthz()) && running("svc") == 2 && running("added") == 2);
    System.out.printf(
        "engine restarted: pods back after %d ms%n", (System.nanoTime() - restartedAt) / 1_000_000);
    assertNoDuplicates();

    // 4. a sandbox removed by hand
    String sandbox =
        docker(
                "ps",
                "-q",
                "--filter",
                "label=io.kubernetes.pod.name=svc-" + node,
                "--filter",
                "label=io.kubernetes.docker.type=podsandbox")
            .strip();
    docker("rm", "-f", sandbox);
    long removedAt = System.nanoTime();
    await("the pod is back within 10 s")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> running("svc") == 2);
    System.out.printf(
        "sandbox removed by hand: pod back after %d ms%n",
        (System.nanoTime() - removedAt) / 1_000_000);
    assertNoDuplicates();
  }

  private void assertNoDuplicates() {
    for (String name : List.of("svc", "added")) {
      String rows =
          docker(
              "ps",
              "--filter",
              "label=io.kubernetes.pod.name=" + name + "-" + node,
              "--format",
              "{{.Label \"io.kubernetes.container.name\"}}");
      List<String> containers = rows.lines().filter(l -> !l.isBlank()).sorted().toList();
      assertEquals(
          List.of("POD", "app"), containers, name + ": one sandbox and one app container running");
    }
  }

  private static String hostNetworkService(String name) {
    return Manifests.pod(
            name, "trap 'exit 0' TERM; while true; do sleep 1; done", "hostNetwork: true")
        .replace("terminationGracePeriodSeconds: 5", "terminationGracePeriodSeconds: 1");
  }

  private long running(String name) {
    return docker("ps", "-q", "--filter", "label=io.kubernetes.pod.name=" + name + "-" + node)
        .lines()
        .filter(l -> !l.isBlank())
        .count();
  }

  private void startDockerd() throws IOException {
    Path pidfile = dir.resolve("docker.pid");
    Files.deleteIfExists(pidfile);
    dockerd =
        new ProcessBuilder(
                "dockerd",
                "--host",
                socket,
                "--data-root",
                dir.resolve("data").toString(),
                "--exec-root",
                dir.resolve("exec").toString(),
                "--pidfile",
                pidfile.toString(),
                "--bridge=" + bridge,
                "--iptables=false",
                "--ip-masq=false",
                "--storage-driver=overlay2")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile()))
            .start();
    dockerdPid = dockerd.pid();
    await("private dockerd answers")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              if (!dockerd.isAlive()) {
                throw new AssertionError(
                    "dockerd exited: "
                        + Files.readString(dir.resolve("dockerd.log"), StandardCharsets.UTF_8));
              }
              return tryDocker("version", "--format", "{{.Server.Version}}");
            });
  }

  private void stopDockerd() throws IOException, InterruptedException {
    signal("CONT", dockerdPid);
    dockerd.destroy();
    if (!dockerd.waitFor(60, TimeUnit.SECONDS)) {
      dockerd.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private void loadImages() {
    Commands.run(
        List.of(
            "sh",
            "-c",
            "docker save "
                + Manifests.PAUSE_IMAGE
                + " "
                + Manifests.IMAGE
                + " | docker -H "
                + socket
                + " load"),
        Duration.ofSeconds(120));
  }

  private String docker(String... args) {
    List<String> cmd = new ArrayList<>(List.of("-H", socket));
    cmd.addAll(Arrays.asList(args));
    return DockerCli.run(cmd.toArray(String[]::new));
  }

  private boolean tryDocker(String... args) {
    try {
      docker(args);
      return true;
    } catch (CommandFailedException e) {
      return false;
    }
  }

  private static void run(String... cmd) {
    CommandResult r = Commands.result(List.of(cmd), Duration.ofSeconds(60));
    if (!r.succeeded()) {
      System.out.println(String.join(" ", cmd) + ": " + r.output());
    }
  }

  private static void signal(String signal, long pid) {
    Commands.result(List.of("kill", "-" + signal, String.valueOf(pid)), Duration.ofSeconds(10));
  }
}
