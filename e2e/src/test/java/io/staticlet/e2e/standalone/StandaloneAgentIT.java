package io.staticlet.e2e.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.staticlet.testkit.AgentProcess;
import io.staticlet.testkit.DockerCli;
import io.staticlet.testkit.DockerCli.Row;
import io.staticlet.testkit.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #3 acceptance: the built agent, real manifest files, the real Docker engine. */
class StandaloneAgentIT {
  @TempDir Path work;
  private Path manifests;
  private String node;
  private AgentProcess agent;

  @BeforeEach
  void startAgent() throws IOException {
    node = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    manifests = Files.createDirectories(work.resolve("manifests"));
    agent =
        new AgentProcess(node, manifests, work, List.of("--file-check-frequency", "2s")).start();
  }

  @AfterEach
  void stopAgent(org.junit.jupiter.api.TestInfo test) {
    if (agent != null) {
      agent.close();
      // kept in the failsafe report (<test>-output.txt) to explain a failure
      System.out.println("==== agent log of " + test.getDisplayName() + " ====\n" + agent.log());
    }
    DockerCli.removeNode(node);
  }

  private String podName(String name) {
    return name + "-" + node;
  }

  /** From writing the manifest to the engine's start of its second container (sandbox, app). */
  private Duration timeToRunning(String name) {
    Instant written = Instant.now();
    try (DockerCli.StartEvents events =
        DockerCli.startEvents(podName(name), written.minusSeconds(1))) {
      Manifests.write(manifests.resolve(name + ".yaml"), Manifests.service(name));
      await(name + ": sandbox and app container started")
          .atMost(Duration.ofSeconds(30))
          .until(() -> events.starts().size() >= 2);
      return Duration.between(
          written, events.starts().get(1).at()); // the engine's clock: no polling in it
    }
  }

  private static Duration median(List<Duration> values) {
    return values.stream().sorted().toList().get(values.size() / 2);
  }

  private static String millis(List<Duration> values) {
    return values.stream().map(d -> d.toMillis() + " ms").toList().toString();
  }

  private Set<String> runningIds(String pod) {
    return DockerCli.runningOfPod(node, podName(pod)).stream()
        .map(Row::id)
        .collect(Collectors.toSet());
  }

  private Pod awaitRunning(String name) {
    // a busy machine may let one GET /pods time out: that is "not yet", not a failure
    await(name + " Running in /pods")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsInstanceOf(AssertionError.class)
        .until(
            () ->
                agent
                    .pod(podName(name))
                    .map(
                        p ->
                            "Running".equals(p.getStatus().getPhase())
                                && p.getStatus().getContainerStatuses().stream()
                                    .allMatch(ContainerStatus::getReady))
                    .orElse(false));
    return agent.pod(podName(name)).orElseThrow();
  }

  /**
   * Acceptance 1 says 2 s, on this kind of machine, where the engine itself starts a sandbox and an
   * app container in about 0.5 s. Each of three rounds measures that floor with {@code docker run}
   * and then the agent with a new manifest; the median of the agent's times must stay under max(2
   * s, 4 × the median floor), so a machine (or a moment) where the engine is slower, and one
   * hiccup, do not fail the test, while an agent that is slow by itself does.
   */
  @Test
  void droppedManifestRunsWithinTwoSecondsWithKubeletNamesAndLabels() {
    List<Duration> floors = new ArrayList<>();
    List<Duration> times = new ArrayList<>();
    for (String name : List.of("web", "web2", "web3")) {
      floors.add(DockerCli.sandboxAndAppFloor("registry.k8s.io/pause:3.10", Manifests.IMAGE));
      times.add(timeToRunning(name));
    }
    Duration floor = median(floors);
    Duration took = median(times);
    Duration bound = Collections.max(List.of(Duration.ofSeconds(2), floor.multipliedBy(4)));
    String figures =
        "manifest written to both containers started: "
            + millis(times)
            + ", median "
            + took.toMillis()
            + " ms; docker run of the same pair: "
            + millis(floors)
            + ", median "
            + floor.toMillis()
            + " ms; bound "
            + bound.toMillis()
            + " ms";
    System.out.println(figures);
    assertTrue(took.compareTo(bound) < 0, "acceptance 1: " + figures);

    Pod pod = awaitRunning("web");
    String uid = pod.getMetadata().getUid();
    List<Row> rows = DockerCli.runningOfPod(node, podName("web"));
    Set<String> names = rows.stream().map(Row::name).collect(Collectors.toSet());
    assertEquals(
        Set.of(
            "k8s_POD_web-" + node + "_default_" + uid + "_0",
            "k8s_app_web-" + node + "_default_" + uid + "_0"),
        names,
        "docker ps names (took " + took.toMillis() + " ms)");
    for (Row row : rows) {
      assertTrue(row.labels().contains("\"io.kubernetes.pod.uid\":\"" + uid + "\""), row.labels());
      assertTrue(
          row.labels().contains("\"io.kubernetes.pod.namespace\":\"default\""), row.labels());
    }
    assertTrue(
        rows.stream()
            .anyMatch(r -> r.labels().contains("\"io.kubernetes.docker.type\":\"podsandbox\"")));
    ContainerStatus app = pod.getStatus().getContainerStatuses().get(0);
    assertEquals("app", app.getName());
    assertTrue(app.getReady());
    assertEquals(0, app.getRestartCount());
    String appId =
        rows.stream().filter(r -> r.name().startsWith("k8s_app_")).findFirst().orElseThrow().id();
    assertEquals("docker://" + appId, app.getContainerID());
    assertEquals("file", pod.getMetadata().getAnnotations().get("kubernetes.io/config.source"));
    assertEquals(uid, pod.getMetadata().getAnnotations().get("kubernetes.io/config.hash"));
    assertEquals(node, pod.getSpec().getNodeName());
  }

  @Test
  void editedManifestReplacesThePodButEquivalentContentChangesNothing() {
    Path file = manifests.resolve("web.yaml");
    Manifests.write(file, Manifests.service("web"));
    String uid = awaitRunning("web").getMetadata().getUid();
    Set<String> ids = runningIds("web");

    Manifests.overwrite(file, Manifests.service("web"));
    Manifests.overwrite(
        file,
        Manifests.service("web")
            .replace(
                "terminationGracePeriodSeconds: 5",
                "terminationGracePeriodSeconds: 5\n  restartPolicy: Always\n  dnsPolicy: ClusterFirst")
            .replace(
                "image: " + Manifests.IMAGE,
                "image: " + Manifests.IMAGE + "\n    imagePullPolicy: IfNotPresent"));
    // two re-lists later nothing may have changed
    await()
        .pollDelay(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(6))
        .untilAsserted(
            () -> {
              assertEquals(ids, runningIds("web"));
              assertEquals(uid, agent.pod(podName("web")).orElseThrow().getMetadata().getUid());
            });

    Manifests.overwrite(
        file, Manifests.pod("web", "trap 'exit 0' TERM; while true; do sleep 2; done"));
    await("new incarnation")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                agent
                    .pod(podName("web"))
                    .map(p -> !p.getMetadata().getUid().equals(uid))
                    .orElse(false));
    Pod replaced = awaitRunning("web");
    assertNotEquals(uid, replaced.getMetadata().getUid());
    List<Row> all = DockerCli.containersOfPod(node, podName("web"));
    assertTrue(
        all.stream().allMatch(r -> r.podUid().equals(replaced.getMetadata().getUid())),
        "old containers removed: " + all);
  }

  @Test
  void deletedManifestStopsThePodWithinItsGracePeriodAndRemovesItsContainers() throws IOException {
    Path file = manifests.resolve("web.yaml");
    Manifests.write(
        file, Manifests.pod("web", "trap 'echo ignoring TERM' TERM; while true; do sleep 1; done"));
    awaitRunning("web");

    Instant deleted = Instant.now();
    Files.delete(file);
    await("containers removed")
        .atMost(Duration.ofSeconds(45))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> DockerCli.containersOfPod(node, podName("web")).isEmpty());
    Duration took = Duration.between(deleted, Instant.now());
    // killed once its 5 s are up (not after the default 30 s), then removed; 10 s of slack for a
    // busy machine
    assertTrue(took.compareTo(Duration.ofSeconds(5 + 10)) < 0, "grace 5 s, took " + took);
    assertTrue(
        took.compareTo(Duration.ofSeconds(4)) > 0,
        "a SIGTERM-ignoring container gets its grace period, took " + took);
    await().atMost(Duration.ofSeconds(15)).until(() -> agent.pod(podName("web")).isEmpty());
  }

  @Test
  void vimSaveSequenceNeverLeavesThePodMissingAndLeftoversAreIgnored() throws IOException {
    Path file = manifests.resolve("web.yaml");
    Manifests.write(file, Manifests.service("web"));
    awaitRunning("web");
    Set<String> ids = runningIds("web");

    Manifests.vimSave(file, Manifests.service("web"));
    Manifests.write(manifests.resolve(".hidden.yaml"), Manifests.service("hidden"));
    Manifests.write(manifests.resolve("web.yaml.swp"), Manifests.service("swp"));
    Manifests.write(manifests.resolve("web.yaml.bak"), Manifests.service("bak"));
    Manifests.write(manifests.resolve("web.yaml~"), Manifests.service("tilde"));

    await()
        .pollDelay(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(6))
        .untilAsserted(
            () -> {
              assertEquals(
                  ids, runningIds("web"), "identical content saved by vim restarts nothing");
              assertEquals(
                  Set.of(podName("web")),
                  agent.pods().stream()
                      .map(p -> p.getMetadata().getName())
                      .collect(Collectors.toSet()));
            });
    assertEquals(
        2,
        DockerCli.containersOfPod(node, podName("web")).size(),
        "never stopped: no exited container");

    Manifests.vimSave(
        file, Manifests.pod("web", "trap 'exit 0' TERM; while true; do sleep 3; done"));
    await("new version runs")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              Set<String> now = runningIds("web");
              return now.size() == 2 && java.util.Collections.disjoint(now, ids);
            });
    assertEquals(2, runningIds("web").size());
  }

  @Test
  void sedInPlaceAndConfigMapSwapRestartNothingUntilTheContentChangesAndThenApplyIt() {
    Manifests.configMapWrite(manifests, "db.yaml", Manifests.service("db"));
    Path web = Manifests.write(manifests.resolve("web.yaml"), Manifests.service("web"));
    awaitRunning("web");
    awaitRunning("db");
    Set<String> webIds = runningIds("web");
    Set<String> dbIds = runningIds("db");

    Manifests.sedInPlace(web, Manifests.service("web"));
    Manifests.configMapWrite(manifests, "db.yaml", Manifests.service("db"));
    await()
        .pollDelay(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(6))
        .untilAsserted(
            () -> {
              assertEquals(
                  webIds,
                  runningIds("web"),
                  "identical content written by sed -i restarts nothing");
              assertEquals(
                  dbIds,
                  runningIds("db"),
                  "identical content swapped into a ConfigMap volume restarts nothing");
              assertEquals(
                  Set.of(podName("web"), podName("db")),
                  agent.pods().stream()
                      .map(p -> p.getMetadata().getName())
                      .collect(Collectors.toSet()),
                  "no temporary file's pod");
            });
    assertEquals(
        2,
        DockerCli.containersOfPod(node, podName("web")).size(),
        "never stopped: no exited container");
    assertEquals(
        2,
        DockerCli.containersOfPod(node, podName("db")).size(),
        "never stopped: no exited container");

    Manifests.sedInPlace(
        web, Manifests.pod("web", "trap 'exit 0' TERM; while true; do sleep 3; done"));
    Manifests.configMapWrite(
        manifests,
        "db.yaml",
        Manifests.pod("db", "trap 'exit 0' TERM; while true; do sleep 3; done"));
    await("new versions run")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              Set<String> w = runningIds("web");
              Set<String> d = runningIds("db");
              return w.size() == 2
                  && java.util.Collections.disjoint(w, webIds)
                  && d.size() == 2
                  && java.util.Collections.disjoint(d, dbIds);
            });
  }

  @Test
  void invalidEditKeepsThePodRunningAndReportsTheFileUntilFixed() {
    Path file = manifests.resolve("web.yaml");
    Manifests.write(file, Manifests.service("web"));
    awaitRunning("web");
    Set<String> ids = runningIds("web");

    Manifests.overwrite(
        file,
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: [unclosed\n");
    await("error on /pods")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                agent
                    .pod(podName("web"))
                    .map(
                        p ->
                            p.getMetadata()
                                .getAnnotations()
                                .getOrDefault("staticlet.io/manifest-error", ""))
                    .orElse("")
                    .contains(file.toString()));
    assertEquals(ids, runningIds("web"), "the last good version keeps running");
    assertEquals(
        1.0,
        metric(agent.metrics(), "staticlet_manifest_errors"),
        "one manifest in error on /metrics");

    Manifests.overwrite(
        file, Manifests.pod("web", "trap 'exit 0' TERM; while true; do sleep 4; done"));
    await("fix applied")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                agent
                        .pod(podName("web"))
                        .map(
                            p ->
                                !p.getMetadata()
                                        .getAnnotations()
                                        .containsKey("staticlet.io/manifest-error")
                                    && "Running".equals(p.getStatus().getPhase()))
                        .orElse(false)
                    && runningIds("web").stream().filter(id -> !ids.contains(id)).count() == 2);
  }

  @Test
  void badFilesEachGetAClearErrorAndTouchNoOtherPod() throws IOException {
    Manifests.write(manifests.resolve("good.yaml"), Manifests.service("good"));
    awaitRunning("good");
    Set<String> ids = runningIds("good");

    Manifests.write(
        manifests.resolve("multi.yaml"),
        Manifests.service("one") + "---\n" + Manifests.service("two"));
    Manifests.write(manifests.resolve("list.yaml"), "apiVersion: v1\nkind: PodList\nitems: []\n");
    Manifests.write(
        manifests.resolve("deploy.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n");
    Manifests.write(
        manifests.resolve("secret.yaml"),
        Manifests.service("secret")
            .replace("containers:", "serviceAccountName: default\n  containers:"));
    Manifests.write(manifests.resolve("zz-dup.yaml"), Manifests.service("good"));
    byte[] big = new byte[11 * 1024 * 1024];
    java.util.Arrays.fill(big, (byte) '#');
    Files.write(manifests.resolve("big.yaml"), big);

    await("every bad file reported")
        .atMost(Duration.ofSeconds(45))
        .untilAsserted(
            () -> {
              String log = agent.log();
              for (String f :
                  List.of(
                      "multi.yaml",
                      "list.yaml",
                      "deploy.yaml",
                      "secret.yaml",
                      "zz-dup.yaml",
                      "big.yaml")) {
                assertTrue(
                    log.contains(manifests.resolve(f).toString()), f + " not named in the log");
              }
              assertEquals(
                  6.0,
                  metric(agent.metrics(), "staticlet_manifest_errors"),
                  "six files in error on /metrics");
            });
    // kept on the log: a file that yields no pod has no /pods entry to carry its error, so the log
    // line
    // naming the file and what is wrong is what the operator sees (as with the kubelet); /metrics
    // counts them
    String log = agent.log();
    assertTrue(log.contains("PodList"), "names the kind");
    assertTrue(log.contains("Deployment"), "names the kind");
    assertTrue(
        log.contains("serviceaccount") || log.contains("serviceAccount"), "names the reference");
    assertTrue(log.contains("10 MiB"), "names the limit");
    assertEquals(ids, runningIds("good"), "the good pod is untouched");
    assertEquals(
        Set.of(podName("good")),
        agent.pods().stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet()));
  }

  @Test
  void crashingContainerIsRestartedWithGrowingBackoffAndNeverPodsFinish() {
    Manifests.write(manifests.resolve("crash.yaml"), Manifests.pod("crash", "echo dying; exit 3"));
    Manifests.write(
        manifests.resolve("done.yaml"), Manifests.pod("done", "exit 0", "restartPolicy: Never"));
    Manifests.write(
        manifests.resolve("fail.yaml"), Manifests.pod("fail", "exit 1", "restartPolicy: Never"));

    await("CrashLoopBackOff with restarts")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                agent
                    .pod(podName("crash"))
                    .map(
                        p -> {
                          ContainerStatus s = p.getStatus().getContainerStatuses().get(0);
                          return s.getRestartCount() >= 2
                              && s.getState().getWaiting() != null
                              && "CrashLoopBackOff".equals(s.getState().getWaiting().getReason());
                        })
                    .orElse(false));
    ContainerStatus crash =
        agent.pod(podName("crash")).orElseThrow().getStatus().getContainerStatuses().get(0);
    assertEquals(3, crash.getLastState().getTerminated().getExitCode());
    assertTrue(
        DockerCli.containersOfPod(node, podName("crash")).stream()
            .anyMatch(r -> r.name().endsWith("_2")),
        "docker names count the attempts");

    await("Never pods finish")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertEquals(
                  "Succeeded", agent.pod(podName("done")).orElseThrow().getStatus().getPhase());
              assertEquals(
                  "Failed", agent.pod(podName("fail")).orElseThrow().getStatus().getPhase());
            });
    assertEquals(
        0,
        agent
            .pod(podName("fail"))
            .orElseThrow()
            .getStatus()
            .getContainerStatuses()
            .get(0)
            .getRestartCount());
  }

  @Test
  void restartedAgentAdoptsRunningContainersAndRemovesPodsDeletedMeanwhile() throws IOException {
    Manifests.write(manifests.resolve("keep.yaml"), Manifests.service("keep"));
    Manifests.write(manifests.resolve("drop.yaml"), Manifests.service("drop"));
    awaitRunning("keep");
    awaitRunning("drop");
    List<Row> before = DockerCli.runningOfPod(node, podName("keep"));

    agent.kill();
    Files.delete(manifests.resolve("drop.yaml"));
    agent.start();

    await("orphans removed")
        .atMost(Duration.ofSeconds(45))
        .until(() -> DockerCli.containersOfPod(node, podName("drop")).isEmpty());
    awaitRunning("keep");
    List<Row> after = DockerCli.runningOfPod(node, podName("keep"));
    assertEquals(
        before.stream().map(r -> r.id() + "@" + r.startedAt()).collect(Collectors.toSet()),
        after.stream().map(r -> r.id() + "@" + r.startedAt()).collect(Collectors.toSet()),
        "same containers, same start times");
    assertEquals(
        0,
        agent
            .pod(podName("keep"))
            .orElseThrow()
            .getStatus()
            .getContainerStatuses()
            .get(0)
            .getRestartCount());
  }

  @Test
  void killedSandboxRecreatesThePodWithTheNextAttempt() {
    Manifests.write(manifests.resolve("web.yaml"), Manifests.service("web"));
    awaitRunning("web");
    Row sandbox =
        DockerCli.runningOfPod(node, podName("web")).stream()
            .filter(r -> r.name().startsWith("k8s_POD_"))
            .findFirst()
            .orElseThrow();

    DockerCli.run("kill", sandbox.id());

    await("recreated with attempt 1")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              Set<String> names =
                  DockerCli.runningOfPod(node, podName("web")).stream()
                      .map(Row::name)
                      .collect(Collectors.toSet());
              return names.size() == 2 && names.stream().allMatch(n -> n.endsWith("_1"));
            });
    assertFalse(
        DockerCli.runningOfPod(node, podName("web")).stream()
            .anyMatch(r -> r.id().equals(sandbox.id())));
  }

  @Test
  void sigtermLeavesPodsRunning() {
    Manifests.write(manifests.resolve("web.yaml"), Manifests.service("web"));
    awaitRunning("web");
    Set<String> ids = runningIds("web");
    Set<String> before =
        DockerCli.runningOfPod(node, podName("web")).stream()
            .map(r -> r.id() + "@" + r.startedAt())
            .collect(Collectors.toSet());

    int exit = agent.stop();
    assertTrue(
        exit == 0 || exit == 143, "clean exit on SIGTERM (the JVM reports 128+15), got " + exit);

    // what docker shows: the same containers, still running, not restarted (same start times)
    assertEquals(ids, runningIds("web"));
    assertEquals(
        before,
        DockerCli.runningOfPod(node, podName("web")).stream()
            .map(r -> r.id() + "@" + r.startedAt())
            .collect(Collectors.toSet()));
  }

  @Test
  void metricsEndpointReportsSyncsLatencyRestartsAndJvm() {
    Manifests.write(manifests.resolve("web.yaml"), Manifests.service("web"));
    Manifests.write(manifests.resolve("crash.yaml"), Manifests.pod("crash", "exit 1"));
    awaitRunning("web");
    await("a restart counted")
        .atMost(Duration.ofSeconds(60))
        .until(() -> metric(agent.metrics(), "staticlet_container_restarts_total") >= 1);

    String metrics = agent.metrics();
    assertTrue(
        metric(metrics, "staticlet_pod_sync_duration_seconds_count{result=\"converged\"}") >= 1,
        metrics);
    assertEquals(2.0, metric(metrics, "staticlet_static_pods"));
    assertTrue(
        metric(metrics, "staticlet_manifest_to_running_duration_seconds_count") >= 1, metrics);
    double latency =
        metric(metrics, "staticlet_manifest_to_running_duration_seconds_sum")
            / metric(metrics, "staticlet_manifest_to_running_duration_seconds_count");
    assertTrue(latency > 0 && latency < 20, "plausible manifest-to-running latency: " + latency);
    assertTrue(metrics.contains("staticlet_work_queue_depth"), metrics);
    assertEquals(0.0, metric(metrics, "staticlet_manifest_errors"));
    assertTrue(
        metric(metrics, "staticlet_events_total{reason=\"Started\",type=\"Normal\"}") >= 2,
        "events are counted in standalone mode too: " + metrics);
    assertTrue(
        metric(metrics, "jvm_memory_used_bytes{area=\"heap\",id=\"Tenured Gen\"}") > 0
            || metrics.contains("jvm_memory_used_bytes{area=\"heap\""),
        "JVM metrics present");
    assertTrue(metrics.contains("process_cpu_usage"), "process metrics present");
  }

  /** The sum of the samples whose name (with labels) starts with {@code prefix}; 0 when absent. */
  private static double metric(String text, String prefix) {
    return text.lines()
        .filter(
            l ->
                l.startsWith(prefix + " ")
                    || (l.startsWith(prefix) && prefix.contains("{"))
                    || l.startsWith(prefix + "{"))
        .filter(l -> !l.startsWith("#"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
