package io.staticlet.e2e.probes;

import static io.staticlet.e2e.probes.ProbeManifests.pod;
import static io.staticlet.e2e.probes.ProbeManifests.service;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.staticlet.testkit.AgentProcess;
import io.staticlet.testkit.DockerCli;
import io.staticlet.testkit.Manifests;
import io.staticlet.testkit.PrometheusText;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #5 acceptance 2: probes, hooks and termination messages with the built agent and the real
 * Docker engine. Limits are generous (other builds share two cores) but each is well below what a
 * broken feature would take: a probe that never runs, or never gates, fails them.
 */
class ProbesIT {
  @TempDir Path work;
  private Path manifests;
  private String node;
  private AgentProcess agent;
  private HttpServer hookServer;
  private final List<String> hookCalls = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startAgent() throws IOException {
    node = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
    manifests = Files.createDirectories(work.resolve("manifests"));
    agent =
        new AgentProcess(node, manifests, work, List.of("--file-check-frequency", "2s")).start();
  }

  @AfterEach
  void stopAgent(TestInfo test) {
    if (hookServer != null) {
      hookServer.stop(0);
    }
    if (agent != null) {
      agent.close();
      System.out.println("==== agent log of " + test.getDisplayName() + " ====\n" + agent.log());
    }
    DockerCli.removeNode(node);
  }

  private static ConditionFactory within(Duration limit) {
    return await().atMost(limit).pollInterval(Duration.ofMillis(250));
  }

  private String podName(String name) {
    return name + "-" + node;
  }

  private void write(String name, String manifest) {
    Manifests.write(manifests.resolve(name + ".yaml"), manifest);
  }

  private Optional<ContainerStatus> app(String name) {
    return agent
        .pod(podName(name))
        .map(p -> p.getStatus().getContainerStatuses())
        .filter(s -> s != null && !s.isEmpty())
        .map(s -> s.get(0));
  }

  private ContainerStatus appOrFail(String name) {
    return app(name)
        .orElseThrow(
            () -> new AssertionError("no status for " + podName(name) + "\n" + agent.rawPods()));
  }

  private boolean running(String name) {
    return app(name).map(s -> s.getState().getRunning() != null).orElse(false);
  }

  private String condition(String name, String type) {
    Pod pod = agent.pod(podName(name)).orElseThrow();
    return pod.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .map(PodCondition::getStatus)
        .findFirst()
        .orElse("");
  }

  private String containerId(String name) {
    return appOrFail(name).getContainerID().replaceFirst("^docker://", "");
  }

  /**
   * Serves hook requests on the host; each records what {@code /out/events} held at that moment.
   */
  private int startHookServer(Path events) throws IOException {
    hookServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hookServer.createContext(
        "/",
        exchange -> {
          String seen =
              Files.exists(events) ? Files.readString(events).strip().replace('\n', ',') : "";
          hookCalls.add(exchange.getRequestURI().getPath() + " events=" + seen);
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    hookServer.start();
    return hookServer.getAddress().getPort();
  }

  // ---- liveness ----

  @Test
  void containerWhoseLivenessProbeStartsFailingIsRestartedAndItsRestartCountGrows() {
    write(
        "live",
        pod(
            "live",
            "Always",
            service("touch /tmp/healthy; (sleep 4; rm /tmp/healthy) &"),
            """
        livenessProbe:
          exec:
            command: ["cat", "/tmp/healthy"]
          periodSeconds: 1
          failureThreshold: 2
        """,
            ""));

    within(Duration.ofSeconds(30)).until(() -> running("live"));
    String first = containerId("live");
    within(Duration.ofSeconds(45))
        .until(() -> appOrFail("live").getRestartCount() >= 1 && running("live"));
    ContainerStatus afterOne = appOrFail("live");
    assertFalse(afterOne.getContainerID().endsWith(first), "a new container instance runs");
    assertTrue(
        afterOne.getLastState().getTerminated() != null, "the killed instance is the last state");
    // the new instance passes at first, then fails the same way: killed again after the 10 s
    // back-off
    within(Duration.ofSeconds(90)).until(() -> appOrFail("live").getRestartCount() >= 2);

    // the kubelet's events for it, as an operator counts them on /metrics (kubectl describe in
    // cluster mode)
    assertTrue(
        events("Warning", "Unhealthy") >= 2,
        "each killed instance failed its probe: " + agent.metrics());
    assertTrue(
        events("Normal", "Killing") >= 2, "each unhealthy instance was killed: " + agent.metrics());
  }

  // ---- readiness ----

  @Test
  void failingReadinessProbeKeepsContainerAndPodUnreadyUntilItPasses() {
    write(
        "ready",
        pod(
            "ready",
            "Always",
            service("mkdir -p /www; echo ok > /www/index.html; httpd -f -p 8080 -h /www &"),
            """
        ports:
        - name: http
          containerPort: 8080
        readinessProbe:
          httpGet:
            path: /ready.html
            port: http
          periodSeconds: 1
          failureThreshold: 1
        """,
            ""));

    within(Duration.ofSeconds(30)).until(() -> running("ready"));
    // httpd answers 404 for the missing file: running but not ready, for as long as we look
    for (int i = 0; i < 3; i++) {
      assertFalse(appOrFail("ready").getReady());
      assertEquals("False", condition("ready", "Ready"));
      assertEquals("False", condition("ready", "ContainersReady"));
      await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
    }

    DockerCli.run("exec", containerId("ready"), "touch", "/www/ready.html");
    within(Duration.ofSeconds(15)).until(() -> appOrFail("ready").getReady());
    assertEquals("True", condition("ready", "Ready"));
    assertEquals("True", condition("ready", "ContainersReady"));

    DockerCli.run("exec", containerId("ready"), "rm", "/www/ready.html");
    within(Duration.ofSeconds(15)).until(() -> !appOrFail("ready").getReady());
    assertEquals("False", condition("ready", "Ready"));
    assertEquals(0, appOrFail("ready").getRestartCount(), "readiness never restarts");
    assertTrue(
        events("Warning", "Unhealthy") >= 1,
        "the failed probes are Unhealthy events: " + agent.metrics());
    assertEquals(0.0, events("Normal", "Killing"), "readiness never kills");
  }

  // ---- startup ----

  @Test
  void startupProbeHoldsBackALivenessProbeThatWouldOtherwiseKill() {
    write(
        "slow",
        pod(
            "slow",
            "Always",
            service("(sleep 6; touch /tmp/up) &"),
            """
        startupProbe:
          exec:
            command: ["cat", "/tmp/up"]
          periodSeconds: 1
          failureThreshold: 30
        livenessProbe:
          exec:
            command: ["cat", "/tmp/up"]
          periodSeconds: 1
          failureThreshold: 1
        """,
            ""));

    within(Duration.ofSeconds(30)).until(() -> running("slow"));
    ContainerStatus early = appOrFail("slow");
    assertFalse(early.getStarted(), "not started before /tmp/up exists");
    assertFalse(early.getReady());

    within(Duration.ofSeconds(40))
        .until(() -> appOrFail("slow").getStarted() && appOrFail("slow").getReady());
    await().pollDelay(Duration.ofSeconds(4)).until(() -> true);
    assertEquals(
        0, appOrFail("slow").getRestartCount(), "liveness never ran before startup succeeded");
    assertTrue(
        events("Warning", "Unhealthy") >= 1, "the startup probe failed while /tmp/up was missing");
    assertEquals(0.0, events("Normal", "Killing"), "liveness never failed: nothing was killed");
  }

  // ---- hooks ----

  @Test
  void preStopExecHookRunsBeforeSigterm() throws IOException {
    Path out = Files.createDirectories(work.resolve("out"));
    write(
        "stopper",
        pod(
            "stopper",
            "Always",
            service("trap 'echo TERM >> /out/events; exit 0' TERM; echo started >> /out/events;"),
            """
        volumeMounts:
        - name: out
          mountPath: /out
        lifecycle:
          preStop:
            exec:
              command: ["sh", "-c", "echo preStop >> /out/events"]
        """,
            """
        volumes:
        - name: out
          hostPath:
            path: %s
        """
                .formatted(out)));
    within(Duration.ofSeconds(30)).until(() -> running("stopper"));

    Files.delete(manifests.resolve("stopper.yaml"));

    within(Duration.ofSeconds(30)).until(() -> DockerCli.runningIds(podName("stopper")).isEmpty());
    assertEquals(List.of("started", "preStop", "TERM"), Files.readAllLines(out.resolve("events")));
    assertTrue(
        events("Normal", "Killing") >= 1, "a Killing event for the stop: " + agent.metrics());
    assertEquals(0.0, events("Warning", "FailedPreStopHook"), "the hook succeeded");
  }

  @Test
  void preStopHttpGetHookIsCalledBeforeSigterm() throws IOException {
    Path out = Files.createDirectories(work.resolve("out"));
    int port = startHookServer(out.resolve("events"));
    write(
        "drainer",
        pod(
            "drainer",
            "Always",
            service("trap 'echo TERM >> /out/events; exit 0' TERM; echo started >> /out/events;"),
            """
        volumeMounts:
        - name: out
          mountPath: /out
        lifecycle:
          preStop:
            httpGet:
              host: 127.0.0.1
              port: %d
              path: /drain
        """
                .formatted(port),
            """
        volumes:
        - name: out
          hostPath:
            path: %s
        """
                .formatted(out)));
    within(Duration.ofSeconds(30)).until(() -> running("drainer"));

    Files.delete(manifests.resolve("drainer.yaml"));

    within(Duration.ofSeconds(30)).until(() -> DockerCli.runningIds(podName("drainer")).isEmpty());
    assertEquals(
        List.of("/drain events=started"),
        hookCalls,
        "called once, before the container saw SIGTERM");
    assertEquals(List.of("started", "TERM"), Files.readAllLines(out.resolve("events")));
  }

  @Test
  void failingPostStartHookKillsAndRestartsTheContainer() {
    write(
        "poststart",
        pod(
            "poststart",
            "Always",
            service(""),
            """
        lifecycle:
          postStart:
            exec:
              command: ["sh", "-c", "echo cannot warm up; exit 1"]
        """,
            ""));

    within(Duration.ofSeconds(60))
        .until(() -> app("poststart").map(s -> s.getRestartCount() >= 1).orElse(false));

    assertTrue(
        events("Warning", "FailedPostStartHook") >= 1,
        "the hook's failure is an event: " + agent.metrics());
    assertTrue(
        events("Normal", "Killing") >= 1, "the container was killed for it: " + agent.metrics());
    // kept on the log: a standalone node's operator reads the hook's own output nowhere else (in
    // cluster
    // mode it is the FailedPostStartHook event's message), as with the kubelet
    assertTrue(agent.log().contains("cannot warm up"), "the hook's output in the log");
  }

  @Test
  void postStartHttpGetHookIsCalledAndTheContainerKeepsRunning() throws IOException {
    int port = startHookServer(work.resolve("no-events"));
    write(
        "warm",
        pod(
            "warm",
            "Always",
            service(""),
            """
        lifecycle:
          postStart:
            httpGet:
              host: 127.0.0.1
              port: %d
              path: /warm-up
        """
                .formatted(port),
            ""));

    within(Duration.ofSeconds(30)).until(() -> running("warm") && appOrFail("warm").getReady());
    await().pollDelay(Duration.ofSeconds(3)).until(() -> true);

    assertEquals(List.of("/warm-up events="), hookCalls);
    assertEquals(0, appOrFail("warm").getRestartCount());
  }

  // ---- termination messages ----

  @Test
  void terminatedStateCarriesTheTerminationMessageAndReason() {
    write(
        "bye",
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: bye
        spec:
          restartPolicy: Never
          containers:
          - name: message
            image: %1$s
            command: ["sh", "-c", "echo 'bye from app' > /dev/termination-log; exit 3"]
          - name: logs
            image: %1$s
            command: ["sh", "-c", "echo 'last words on stdout'; exit 4"]
            terminationMessagePolicy: FallbackToLogsOnError
          - name: done
            image: %1$s
            command: ["sh", "-c", "exit 0"]
          - name: oom
            image: %1$s
            command: ["sh", "-c", "tail /dev/zero"]
            resources:
              limits:
                memory: 16Mi
        """
            .formatted(Manifests.IMAGE));

    within(Duration.ofSeconds(45))
        .until(
            () ->
                agent
                    .pod(podName("bye"))
                    .map(p -> "Failed".equals(p.getStatus().getPhase()))
                    .orElse(false));

    List<ContainerStatus> statuses =
        agent.pod(podName("bye")).orElseThrow().getStatus().getContainerStatuses();
    var message = terminated(statuses, "message");
    assertEquals(3, message.getExitCode());
    assertEquals("Error", message.getReason());
    assertEquals("bye from app", message.getMessage().strip());
    var logs = terminated(statuses, "logs");
    assertEquals("Error", logs.getReason());
    assertEquals("last words on stdout", logs.getMessage().strip());
    var done = terminated(statuses, "done");
    assertEquals("Completed", done.getReason());
    assertEquals(0, done.getExitCode());
    var oom = terminated(statuses, "oom");
    assertEquals("OOMKilled", oom.getReason());
    assertEquals(137, oom.getExitCode());
  }

  private static io.fabric8.kubernetes.api.model.ContainerStateTerminated terminated(
      List<ContainerStatus> statuses, String name) {
    ContainerStatus s =
        statuses.stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    assertTrue(s.getState().getTerminated() != null, name + " terminated: " + s);
    return s.getState().getTerminated();
  }

  /**
   * {@code staticlet_events_total} for one type and reason: the kubelet's events, counted in
   * standalone mode too.
   */
  private double events(String type, String reason) {
    return PrometheusText.sumWhere(
        agent.metrics(), "staticlet_events_total", "type", type, "reason", reason);
  }
}
