package io.staticlet.core.status;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.staticlet.core.pod.ContainerKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.ContainerState;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.testing.TestPods;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A table of status computations (inputs only): what the kubelet shows for a running pod, a crash
 * loop, a failed run with a termination message, init containers, readiness either way, host
 * network. Shared by the computer and renderer tests; times carry milliseconds on purpose
 * (Kubernetes shows whole seconds).
 */
public final class PodStatusCases {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:01.250Z");
  static final Instant NOW = Instant.parse("2026-01-01T00:10:00.750Z");
  static final String HOST_IP = "10.0.0.5";

  /** One row: a name and the computation's input. */
  public record Case(String name, PodStatusComputer.Input input) {}

  private PodStatusCases() {}

  public static List<Case> all() {
    List<Case> cases = new ArrayList<>();
    StaticPod web = TestPods.pod("web").container("nginx", "nginx:1.25").build();
    cases.add(
        new Case(
            "running-ready",
            input(
                web,
                List.of(sandbox(web, 0, true), app(web, "nginx", 0, running())),
                Map.of(),
                health(true, true))));
    cases.add(
        new Case(
            "running-not-ready",
            input(
                web,
                List.of(sandbox(web, 0, true), app(web, "nginx", 0, running())),
                Map.of(),
                health(false, true))));
    cases.add(
        new Case(
            "running-not-started",
            input(
                web,
                List.of(sandbox(web, 0, true), app(web, "nginx", 0, running())),
                Map.of(),
                health(true, false))));
    cases.add(new Case("nothing-yet", input(web, List.of(), Map.of(), health(true, true))));
    cases.add(
        new Case(
            "image-pull-error",
            input(
                web,
                List.of(sandbox(web, 0, true)),
                Map.of(
                    "nginx", new ContainerWaiting("ErrImagePull", "pull access denied for nginx")),
                health(true, true))));

    StaticPod crash = TestPods.pod("crash").container("app", "busybox:1.36").build();
    cases.add(
        new Case(
            "crash-loop-back-off",
            input(
                crash,
                List.of(
                    sandbox(crash, 0, true),
                    app(crash, "app", 0, exited(1, "", "")),
                    app(crash, "app", 1, exited(2, "", "panic: x"))),
                Map.of(
                    "app",
                    new ContainerWaiting(
                        "CrashLoopBackOff",
                        "back-off 20s restarting failed container=app pod=crash")),
                health(true, true))));
    cases.add(
        new Case(
            "restarted-running",
            input(
                crash,
                List.of(
                    sandbox(crash, 0, true),
                    app(crash, "app", 0, exited(137, "OOMKilled", "")),
                    app(crash, "app", 1, running())),
                Map.of(),
                health(true, true))));

    StaticPod never =
        TestPods.pod("job").restartPolicy("Never").container("task", "busybox:1.36").build();
    cases.add(
        new Case(
            "terminated-with-message",
            input(
                never,
                List.of(
                    sandbox(never, 0, false), app(never, "task", 0, exited(3, "", "disk full\n"))),
                Map.of(),
                health(true, true))));
    StaticPod onFailure =
        TestPods.pod("once").restartPolicy("OnFailure").container("task", "busybox:1.36").build();
    cases.add(
        new Case(
            "succeeded",
            input(
                onFailure,
                List.of(sandbox(onFailure, 0, false), app(onFailure, "task", 0, exited(0, "", ""))),
                Map.of(),
                health(true, true))));
    cases.add(
        new Case(
            "engine-refused",
            input(
                never,
                List.of(sandbox(never, 0, true), app(never, "task", 0, refused())),
                Map.of(),
                health(true, true))));

    StaticPod init =
        TestPods.pod("init")
            .initContainer("setup", "busybox:1.36")
            .initContainer("migrate", "busybox:1.36")
            .container("main", "nginx:1.25")
            .build();
    cases.add(
        new Case(
            "init-running",
            input(
                init,
                List.of(
                    sandbox(init, 0, true),
                    initC(init, "setup", 0, exited(0, "", "")),
                    initC(init, "migrate", 0, running())),
                Map.of(),
                health(true, true))));
    cases.add(
        new Case(
            "init-done-main-running",
            input(
                init,
                List.of(
                    sandbox(init, 0, true),
                    initC(init, "setup", 0, exited(0, "", "")),
                    initC(init, "migrate", 0, exited(0, "", "")),
                    app(init, "main", 0, running())),
                Map.of(),
                health(true, true))));
    StaticPod initNever =
        TestPods.pod("initnever")
            .restartPolicy("Never")
            .initContainer("setup", "busybox:1.36")
            .container("main", "nginx:1.25")
            .build();
    cases.add(
        new Case(
            "init-failed-never",
            input(
                initNever,
                List.of(
                    sandbox(initNever, 0, true),
                    initC(initNever, "setup", 0, exited(1, "", "bad config"))),
                Map.of(),
                health(true, true))));

    StaticPod host =
        hostNetwork(TestPods.pod("hostnet").container("proxy", "kube-proxy:v1.20.2").build());
    cases.add(
        new Case(
            "host-network",
            input(
                host,
                List.of(sandbox(host, 0, true), app(host, "proxy", 0, running())),
                Map.of(),
                health(true, true))));

    StaticPod guaranteed =
        TestPods.pod("guaranteed")
            .container(
                new ContainerBuilder()
                    .withName("db")
                    .withImage("postgres:16")
                    .withNewResources()
                    .addToLimits("cpu", new Quantity("1"))
                    .addToLimits("memory", new Quantity("1Gi"))
                    .endResources()
                    .build())
            .build();
    cases.add(
        new Case(
            "qos-guaranteed",
            input(
                guaranteed,
                List.of(sandbox(guaranteed, 0, true), app(guaranteed, "db", 0, running())),
                Map.of(),
                health(true, true))));
    return cases;
  }

  static PodStatusComputer.Input input(
      StaticPod pod,
      List<RuntimeContainer> containers,
      Map<String, ContainerWaiting> waiting,
      ContainerHealth health) {
    return new PodStatusComputer.Input(pod, containers, waiting, null, HOST_IP, NOW, health);
  }

  static StaticPod hostNetwork(StaticPod pod) {
    Pod copy = pod.copyOfPod();
    copy.getSpec().setHostNetwork(true);
    return new StaticPod(pod.key(), pod.uid(), pod.source(), pod.seen(), copy);
  }

  static ContainerHealth health(boolean ready, boolean started) {
    return new ContainerHealth() {
      @Override
      public boolean ready(ContainerKey container, String containerId) {
        return ready;
      }

      @Override
      public boolean started(ContainerKey container, String containerId) {
        return started;
      }
    };
  }

  /** State of one instance: engine state, exit code, reason, message, started, finished. */
  record Run(ContainerState state, int exitCode, String reason, String message, boolean finished) {}

  static Run running() {
    return new Run(ContainerState.RUNNING, 0, "", "", false);
  }

  static Run exited(int code, String reason, String message) {
    return new Run(ContainerState.EXITED, code, reason, message, true);
  }

  static Run refused() {
    return new Run(
        ContainerState.CREATED,
        0,
        "ContainerCannotRun",
        "exec: \"nope\": executable file not found",
        false);
  }

  static RuntimeContainer sandbox(StaticPod pod, int attempt, boolean running) {
    return container(
        pod,
        "POD",
        ContainerRole.SANDBOX,
        attempt,
        running ? running() : exited(0, "", ""),
        "172.17.0." + (10 + attempt));
  }

  static RuntimeContainer app(StaticPod pod, String name, int attempt, Run run) {
    return container(pod, name, ContainerRole.APP, attempt, run, "");
  }

  static RuntimeContainer initC(StaticPod pod, String name, int attempt, Run run) {
    return container(pod, name, ContainerRole.INIT, attempt, run, "");
  }

  private static RuntimeContainer container(
      StaticPod pod, String name, ContainerRole role, int attempt, Run run, String ip) {
    int order = role.ordinal() * 10 + attempt;
    Instant created = T0.plus(Duration.ofSeconds(order * 7L));
    Instant started = run.state() == ContainerState.CREATED ? null : created.plusMillis(400);
    Instant finished = run.finished() ? started.plusSeconds(3) : null;
    String id =
        (pod.uid() + name + role + attempt).replaceAll("[^a-z0-9]", "") + "0123456789abcdef";
    return new RuntimeContainer(
        id,
        pod.key(),
        pod.uid(),
        name,
        role,
        attempt,
        role == ContainerRole.SANDBOX ? "" : "sandbox",
        run.state(),
        run.exitCode(),
        run.reason(),
        run.message(),
        created,
        started,
        finished,
        "img",
        "sha256:" + name.hashCode(),
        ip,
        Duration.ofSeconds(30),
        java.util.Optional.empty(),
        new LinkedHashMap<>(Map.of("io.kubernetes.container.name", name)));
  }

  static Set<String> names() {
    return Set.copyOf(all().stream().map(Case::name).toList());
  }
}
