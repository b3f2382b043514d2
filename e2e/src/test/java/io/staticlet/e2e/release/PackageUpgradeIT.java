package io.staticlet.e2e.release;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.staticlet.testkit.DockerCli;
import io.staticlet.testkit.DockerCli.StartEvents;
import io.staticlet.testkit.FreePorts;
import io.staticlet.testkit.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release as an operator installs it: {@code deploy/release.sh} builds two versions of the .deb
 * from this tree, and dpkg installs them into this machine's root (the test needs root; it refuses
 * a machine where a staticlet package other than its own test builds is installed, and purges its
 * own at the end, also after a failure). systemd is not PID 1 here, so the installed {@code
 * staticlet.service} is run as systemd would run it ({@link ServiceProcess}: its ExecStart with the
 * service environment and {@code /etc/default/staticlet}); the package's postinst calls {@code
 * systemctl try-restart} only where systemd runs, and the test does that step itself.
 *
 * <p>Each test's agent is a node of its own ({@code e2e-pkg-<random>}, container names and the
 * {@code io.staticlet.node} label), on free ports and its own root directory, and every container
 * of that node is removed afterwards.
 */
class PackageUpgradeIT {
  private static final String V1 = "0.1.0~e2e1";
  private static final String V2 = "0.1.0~e2e2";
  private static final Path UNIT = Path.of("/lib/systemd/system/staticlet.service");
  private static final Path CONFIG = Path.of("/etc/staticlet/config.yaml");
  private static final Path DEFAULTS = Path.of("/etc/default/staticlet");
  private static final Dpkg DPKG = new Dpkg("staticlet");
  private static final String AOT_CACHE =
      "-XX:AOTCache=/usr/lib/staticlet/runtime/lib/staticlet.aot";

  /** What the JVM prints when it cannot use the cache it was given (jar or runtime mismatch). */
  private static final Pattern AOT_REFUSED =
      Pattern.compile(
          "\\[(warning|error) *\\]\\[(aot|cds)|AOT cache (is )?disabled|Unable to (use|map)");

  private static Path deb1;
  private static Path deb2;

  @TempDir Path work;
  private final String node = "e2e-pkg-" + UUID.randomUUID().toString().substring(0, 8);
  private final AgentPorts ports =
      new AgentPorts(FreePorts.next(), FreePorts.next(), FreePorts.next());
  private ServiceProcess service;

  @BeforeAll
  static void buildTwoVersions() {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException("dpkg -i into the machine's root needs root");
    }
    if (DPKG.known()) {
      String status =
          HostCommand.run(
                  List.of("dpkg-query", "-W", "-f", "${Version}", "staticlet"),
                  Duration.ofSeconds(30))
              .output();
      if (!status.contains("~e2e")) {
        throw new IllegalStateException(
            "staticlet "
                + status
                + " is installed on this machine: the test does not touch a real install");
      }
      DPKG.purge(); // a killed run's leftover
    }
    Path out =
        Path.of(System.getProperty("staticlet.release.out", "target/release-it")).toAbsolutePath();
    deb1 = release(V1, out);
    deb2 = release(V2, out);
  }

  /**
   * {@code deploy/release.sh} on the jar this build made (the runtime image is built once and
   * reused).
   */
  private static Path release(String version, Path out) {
    String printed =
        HostCommand.ok(
            List.of(
                Repo.root().resolve("deploy/release.sh").toString(),
                "--version",
                version,
                "--out",
                out.toString(),
                "--jar",
                Repo.agentJar().toString(),
                "--no-lintian"),
            Duration.ofMinutes(10));
    Path deb = out.resolve("staticlet_" + version + "_amd64.deb");
    assertTrue(Files.isRegularFile(deb) && printed.strip().endsWith(deb.toString()), printed);
    return deb;
  }

  @AfterEach
  void stopAndRemoveEverything() {
    try {
      if (service != null) {
        service.stop();
      }
      DockerCli.removeNode(node);
    } finally {
      DPKG.purge();
    }
  }

  @AfterAll
  static void purge() {
    DPKG.purge();
  }

  @Test
  void anUpgradeRestartsTheAgentOnTheNewVersionAndRestartsNoPod() throws IOException {
    assertTrue(DPKG.newer(V2, V1));
    DPKG.install(deb1);
    assertEquals(Optional.of(V1), DPKG.installedVersion());
    Path manifests = Files.createDirectories(work.resolve("manifests"));
    for (String name : List.of("alpha", "beta")) {
      Files.writeString(
          manifests.resolve(name + ".yaml"),
          """
          apiVersion: v1
          kind: Pod
          metadata: {name: %s, namespace: default}
          spec:
            terminationGracePeriodSeconds: 2
            containers:
            - name: main
              image: staticlet/busybox:1.36
              command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
          """
              .formatted(name));
    }
    // the operator's edits: the manifest directory and the ports in config.yaml, the node in
    // /etc/default
    String config = Files.readString(CONFIG);
    String editedConfig =
        replaceOnce(
                replaceOnce(
                    replaceOnce(
                        config,
                        "staticPodPath: /etc/kubernetes/manifests",
                        "staticPodPath: " + manifests),
                    "readOnlyPort: 0",
                    "readOnlyPort: " + ports.readOnly()),
                "healthzPort: 10248",
                "healthzPort: " + ports.healthz())
            + "# edited on "
            + node
            + "\n";
    Files.writeString(CONFIG, editedConfig);
    String editedDefaults =
        replaceOnce(
            Files.readString(DEFAULTS),
            "STATICLET_ARGS=\"\"",
            "STATICLET_ARGS=\"--hostname-override "
                + node
                + " --root-dir "
                + work.resolve("root")
                + " --port "
                + ports.kubelet()
                + " --address 127.0.0.1\"");
    Files.writeString(DEFAULTS, editedDefaults);

    service = new ServiceProcess(UNIT, work.resolve("agent.log"));
    service.start();
    awaitHealthy();
    assertRunsWithTheAotCache();
    List<String> pods = List.of("alpha-" + node, "beta-" + node);
    Map<String, PodState> before = awaitRunning(pods);
    Map<String, String> enginesView = containerStarts();
    assertEquals(4, enginesView.size(), "two sandboxes and two containers: " + enginesView);
    long oldPid = service.pid();

    try (StartEvents starts =
        DockerCli.startEventsLabelled("io.staticlet.node=" + node, Instant.now())) {
      DPKG.install(deb2);
      assertEquals(Optional.of(V2), DPKG.installedVersion());
      assertTrue(service.running(), "unpacking the new version stops no agent (prerm upgrade)");
      service.tryRestart();
      assertNotEquals(oldPid, service.pid());
      awaitHealthy();
      assertRunsWithTheAotCache();
      // the new agent has reconciled both pods: what it did with them is final
      await("the new agent converged both pods")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> metric("staticlet_pod_sync_duration_seconds_count{result=\"converged\"") >= 2);
      Map<String, PodState> after = awaitRunning(pods);

      assertEquals(before, after, "same pod UIDs, container IDs, start times and restart counts");
      after
          .values()
          .forEach(
              p ->
                  p.containers().forEach(c -> assertEquals(0, c.restartCount(), p + " restarted")));
      assertEquals(0.0, metric("staticlet_container_restarts_total"));
      assertEquals(enginesView, containerStarts(), "the engine's containers and their start times");
      assertEquals(
          List.of(), starts.starts(), "no container of the node started since the upgrade began");
    }

    String version =
        HostCommand.ok(List.of("/usr/bin/staticlet", "--version"), Duration.ofSeconds(60)).strip();
    assertEquals("Kubernetes v1.20.2+staticlet-0.1.0-e2e2", version);
    Path proc = Path.of("/proc", String.valueOf(service.pid()));
    assertEquals(
        Path.of("/usr/lib/staticlet/runtime/bin/java"),
        Files.readSymbolicLink(proc.resolve("exe")),
        "the package's own runtime");
    assertTrue(
        openFiles(proc).contains("/usr/lib/staticlet/staticlet.jar"),
        "the new agent runs the installed jar: " + openFiles(proc));
    assertEquals(editedConfig, Files.readString(CONFIG), "the operator's config.yaml is kept");
    assertEquals(
        editedDefaults,
        Files.readString(DEFAULTS),
        "the operator's /etc/default/staticlet is kept");
    try (Stream<Path> etc = Files.list(CONFIG.getParent())) {
      assertEquals(List.of(CONFIG), etc.toList(), "no .dpkg-dist or .dpkg-new next to it");
    }
  }

  @Test
  void aFreshInstallRunsTheShippedExamplesAndPurgeLeavesNothingOfThePackage() throws IOException {
    // what was there before (/, /usr/bin, the /lib symlink of a merged /usr) stays after the purge
    List<Path> existedBefore =
        Dpkg.contents(deb1).stream()
            .filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS))
            .toList();
    DPKG.install(deb1);
    Path manifests = Files.createDirectories(work.resolve("manifests"));
    Path examples = Path.of("/usr/share/doc/staticlet/examples");
    try (Stream<Path> shipped = Files.list(examples)) {
      for (Path yaml : shipped.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        Files.copy(yaml, manifests.resolve(yaml.getFileName()));
      }
    }
    try (Stream<Path> copied = Files.list(manifests)) {
      assertEquals(2, copied.count(), "web.yaml and ticker.yaml");
    }
    Files.writeString(
        DEFAULTS,
        replaceOnce(
            Files.readString(DEFAULTS),
            "STATICLET_ARGS=\"\"",
            "STATICLET_ARGS=\"--hostname-override "
                + node
                + " --root-dir "
                + work.resolve("root")
                + " --pod-manifest-path "
                + manifests
                + " --read-only-port "
                + ports.readOnly()
                + " --healthz-port "
                + ports.healthz()
                + " --port "
                + ports.kubelet()
                + " --address 127.0.0.1\""));

    service = new ServiceProcess(UNIT, work.resolve("agent.log"));
    service.start();
    awaitHealthy();
    assertRunsWithTheAotCache();
    // deploy/examples/README.md: the web pod answers on the node's port 8080
    await("the example web pod answers on localhost:8080")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> AgentPorts.get(8080, "/").orElse(""),
            body -> body.contains("hello from web-" + node + " on " + node));
    awaitRunning(List.of("ticker-" + node, "web-" + node));

    // the kubelet entry point: staticlet-install-as-kubelet from the package, into a scratch root
    Path kubeletRoot = work.resolve("kubelet-root");
    String install =
        HostCommand.ok(
            List.of("/usr/sbin/staticlet-install-as-kubelet", "--root", kubeletRoot.toString()),
            Duration.ofMinutes(1));
    assertEquals(
        Path.of("../lib/staticlet/bin/kubelet"),
        Files.readSymbolicLink(kubeletRoot.resolve("usr/bin/kubelet")),
        install);
    assertTrue(
        Files.readString(kubeletRoot.resolve("etc/systemd/system/kubelet.service"))
            .contains("ExecStart=/usr/bin/kubelet\n"));
    assertTrue(
        Files.exists(kubeletRoot.resolve("etc/systemd/system/kubelet.service.d/10-kubeadm.conf")));
    assertEquals(
        "Kubernetes v1.20.2+staticlet-0.1.0-e2e1",
        HostCommand.ok(
                List.of("/usr/lib/staticlet/bin/kubelet", "--version"), Duration.ofSeconds(60))
            .strip());
    HostCommand.ok(
        List.of(
            "/usr/sbin/staticlet-install-as-kubelet",
            "--root",
            kubeletRoot.toString(),
            "--uninstall"),
        Duration.ofMinutes(1));
    assertFalse(Files.exists(kubeletRoot.resolve("usr/bin/kubelet"), LinkOption.NOFOLLOW_LINKS));

    service.stop();
    DockerCli.removeNode(node);
    List<Path> installed = DPKG.files();
    assertTrue(
        installed.contains(Path.of("/usr/lib/staticlet/runtime/bin/java")),
        "dpkg -L lists the runtime");
    DPKG.purge();

    assertFalse(DPKG.known(), "dpkg forgot the package");
    List<Path> left = new ArrayList<>();
    for (Path path : installed) {
      if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !existedBefore.contains(path)) {
        left.add(path);
      }
    }
    assertEquals(List.of(), left, "files and directories of the package left after dpkg --purge");
    assertFalse(Files.exists(CONFIG.getParent()), "the conffiles went with the purge");
    assertFalse(Files.exists(DEFAULTS));
  }

  /**
   * The installed agent's JVM runs with the package's AOT cache: the launcher passed it (its stamp
   * names the installed jar, size and mtime) and the JVM did not refuse it (it would say so on
   * stderr, which the unit's log holds, for every agent started so far).
   */
  private void assertRunsWithTheAotCache() throws IOException {
    List<String> cmdline =
        List.of(Files.readString(Path.of("/proc/" + service.pid() + "/cmdline")).split("\0"));
    assertTrue(cmdline.contains(AOT_CACHE), "the agent's JVM: " + String.join(" ", cmdline));
    String log = service.log();
    assertFalse(AOT_REFUSED.matcher(log).find(), "the JVM refused the AOT cache:\n" + log);
  }

  private void awaitHealthy() {
    await("the agent's /healthz")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!service.running()) {
                throw new AssertionError("the agent exited:\n" + service.log());
              }
              return ports.healthy();
            });
  }

  /**
   * Waits until every pod named is Running with all its containers running, as {@code /pods} says.
   */
  private Map<String, PodState> awaitRunning(List<String> names) {
    return await("pods " + names + " running")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              Map<String, PodState> running = new TreeMap<>();
              for (Pod pod : ports.pods().orElse(List.of())) {
                PodState state = PodState.ofRunning(pod);
                if (state != null && names.contains(state.name())) {
                  running.put(state.name(), state);
                }
              }
              return running;
            },
            running -> running.size() == names.size());
  }

  /** The engine's view of the node's containers: ID to start time, running or not. */
  private Map<String, String> containerStarts() {
    return DockerCli.containersOfNode(node).stream()
        .collect(
            Collectors.toMap(
                DockerCli.Row::id,
                r -> r.state() + " " + r.startedAt(),
                (a, b) -> a,
                TreeMap::new));
  }

  /** The sum of the read-only port's metric lines starting with {@code prefix}. */
  private double metric(String prefix) {
    return AgentPorts.get(ports.readOnly(), "/metrics")
        .orElse("")
        .lines()
        .filter(l -> l.startsWith(prefix) && !l.startsWith("#"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static List<String> openFiles(Path proc) {
    try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
      List<String> targets = new ArrayList<>();
      for (Path fd : fds.toList()) {
        try {
          targets.add(Files.readSymbolicLink(fd).toString());
        } catch (IOException closedMeanwhile) {
          // the descriptor was closed between the listing and the read
        }
      }
      return targets;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String replaceOnce(String text, String what, String with) {
    assertEquals(
        1,
        text.split(Pattern.quote(what), -1).length - 1,
        "exactly one '" + what + "' in:\n" + text);
    return text.replace(what, with);
  }
}
