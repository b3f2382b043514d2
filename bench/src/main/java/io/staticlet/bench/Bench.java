package io.staticlet.bench;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.staticlet.testkit.AgentFailedException;
import io.staticlet.testkit.AgentLaunch;
import io.staticlet.testkit.AgentProcess;
import io.staticlet.testkit.CommandResult;
import io.staticlet.testkit.Commands;
import io.staticlet.testkit.ManifestDir;
import io.staticlet.testkit.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * One bench run, in order: the engine and (unless told otherwise) a private control plane; an
 * optional AppCDS training run; B1 with a standalone agent; then one agent, in cluster mode if that
 * works, for B2, B3, B4, B5 and B6. A benchmark that fails or no longer fits the budget gets "n/a"
 * rows saying why, and the run goes on. Everything started is registered with {@link Cleanup}.
 */
final class Bench {
  private static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(60);

  private final BenchOptions options;
  private final Cleanup cleanup;
  private final String runId =
      HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private String clusterUnavailable;
  private List<String> jvmOptions;
  private Path jar;
  private Engine engine;
  private ContainerStarts starts;
  private DirectPods direct;
  private AuditedControlPlane plane;
  private KubernetesClient admin;
  private String mode = "standalone";

  Bench(BenchOptions options, Cleanup cleanup) {
    this.options = options;
    this.cleanup = cleanup;
    this.jvmOptions = options.agentJvmOptions();
  }

  /** Runs everything that fits; never throws: an abort is the report's outcome. */
  Report run() {
    Instant startedAt = Instant.now();
    String loadAtStart = ProcStats.loadAverage();
    String commit = gitCommit(); // at the start: others may commit while the bench runs
    Deadline deadline = Deadline.in(options.budget());
    String outcome = "completed";
    try {
      prepare(startedAt);
      measure(deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome = "interrupted";
    } catch (Exception e) {
      outcome = "aborted: " + firstLine(e);
      Progress.say("aborted: %s", e);
    }
    return new Report(
        startedAt.toString(),
        Duration.between(startedAt, Instant.now()).toMillis() / 1000.0,
        outcome,
        new Report.Machine(
            ProcStats.cores(),
            ProcStats.cpuModel(),
            ProcStats.memTotalMb(),
            ProcStats.kernel(),
            engine == null ? "?" : safe(engine::version),
            loadAtStart,
            ProcStats.loadAverage()),
        new Report.Setup(
            options.agentJar().toString(),
            commit,
            options.agentJava().toString(),
            javaVersion(),
            launcherAndOptions(),
            options.agentEnvironment(),
            options.syncWorkers(),
            mode,
            clusterUnavailable,
            options.warmup(),
            options.runs(),
            options.bulkPods(),
            options.bulkRuns(),
            options.steadyWindow().toSeconds()),
        rows.stream().sorted(Comparator.comparing(Row::id)).toList(),
        List.copyOf(notes)); // B8 runs before B4
  }

  private void prepare(Instant startedAt) throws IOException, InterruptedException {
    Path work = options.workDir();
    clearWorkDir(work);
    if (!Files.isRegularFile(options.agentJar())) {
      throw new IllegalStateException(
          "no agent jar at " + options.agentJar() + " (deploy/bench.sh builds it)");
    }
    if (!Files.isExecutable(options.launcher())) {
      throw new IllegalStateException("no executable launcher at " + options.launcher());
    }
    // a copy of a build's jar: other builds may rewrite app/target while the bench runs; a jar
    // staged elsewhere (deploy/bench.sh's, with the runtime's AOT cache trained for its path) runs
    // where it is
    jar =
        options.agentJar().startsWith(options.repo().resolve("app/target"))
            ? Files.copy(
                options.agentJar(),
                work.resolve("staticlet.jar"),
                StandardCopyOption.REPLACE_EXISTING)
            : options.agentJar();
    engine = Engine.connect();
    cleanup.add("close Docker clients", engine::close);
    engine.requireImage(Manifests.PAUSE_IMAGE);
    engine.requireImage(Manifests.IMAGE);
    starts = ContainerStarts.open(engine, startedAt);
    cleanup.add("close the event stream", starts::close);
    direct = new DirectPods(engine.commands(), runId);
    cleanup.add("remove baseline containers", () -> direct.removeAll(options.syncWorkers()));
    Progress.say(
        "run %s: Docker %s, agent %s via %s, extra JVM options %s",
        runId, engine.version(), options.agentJar(), options.launcher(), jvmOptions);

    boolean needsCluster =
        options.runs("B2")
            || options.runs("B3")
            || options.runs("B7")
            || options.runs("B8")
            || options.needsBulk();
    if (!options.cluster()) {
      clusterUnavailable = "--no-cluster";
    } else if (needsCluster) {
      try {
        Progress.say("starting the control plane (controlplane.sh up)");
        plane = AuditedControlPlane.up(options.repo(), work.resolve("controlplane"));
        cleanup.add("stop the control plane", plane::close);
        admin =
            new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(plane.adminKubeconfig().toFile()))
                .build();
        cleanup.add("close the admin client", admin::close);
        Progress.say("control plane up; admin kubeconfig %s", plane.adminKubeconfig());
      } catch (ClusterUnavailableException e) {
        clusterUnavailable = e.getMessage();
        Progress.say("cluster mode unavailable: %s", clusterUnavailable);
      }
    }
    if (options.agentCds()) {
      trainCdsArchive();
    }
  }

  private void measure(Deadline deadline) throws Exception {
    int perRound = options.warmup() + options.runs();
    Summary b1 = null;
    if (options.runs("B1")) {
      if (!deadline.allows(Duration.ofSeconds(perRound * 8L))) {
        rows.addAll(SinglePodStartup.unavailable("skipped: time budget"));
      } else {
        BenchAgent agent = null;
        try {
          agent = startAgent("a", false);
          List<Row> b1Rows =
              new SinglePodStartup(agent, direct, starts).run(options.warmup(), options.runs());
          rows.addAll(b1Rows);
          b1 = b1Rows.get(0).value();
        } catch (AgentFailedException | TimeoutException | IllegalStateException e) {
          rows.addAll(SinglePodStartup.unavailable("failed: " + firstLine(e)));
        } finally {
          stopAgent(agent);
        }
      }
    }
    boolean needsAgentB =
        options.runs("B2")
            || options.runs("B3")
            || options.runs("B7")
            || options.runs("B8")
            || options.needsBulk();
    if (!needsAgentB) {
      return;
    }
    Summary b1Figure = b1;
    BenchAgent agent = startAgent("b", clusterUnavailable == null);
    Progress.say(
        "agent %s runs in %s mode; %d warm-up pods",
        agent.node(), mode, Math.max(1, options.warmup()));
    try {
      SinglePodStartup.warmUp(agent, starts, Math.max(1, options.warmup()));
    } catch (Exception e) {
      stopAgent(agent);
      throw e;
    }
    try {
      String noCluster = "cluster mode unavailable: " + clusterUnavailable;
      if (options.runs("B2")) {
        rows.addAll(
            !agent.clusterMode()
                ? MirrorStartup.unavailable(noCluster)
                : !deadline.allows(Duration.ofSeconds(perRound * 8L))
                    ? MirrorStartup.unavailable("skipped: time budget")
                    : guarded(
                        () ->
                            new MirrorStartup(agent, starts)
                                .run(options.warmup(), options.runs(), b1Figure),
                        MirrorStartup::unavailable));
      }
      if (options.runs("B3")) {
        rows.addAll(
            !agent.clusterMode()
                ? MirrorRecreate.unavailable(noCluster)
                : !deadline.allows(Duration.ofSeconds(perRound * 4L))
                    ? MirrorRecreate.unavailable("skipped: time budget")
                    : guarded(
                        () -> new MirrorRecreate(agent).run(options.warmup(), options.runs()),
                        MirrorRecreate::unavailable));
      }
      if (options.runs("B8")) {
        Optional<Path> kubectl = kubectl();
        rows.addAll(
            !agent.clusterMode()
                ? KubeletApiLatency.unavailable(noCluster)
                : kubectl.isEmpty()
                    ? KubeletApiLatency.unavailable("no kubectl on the PATH")
                    : !deadline.allows(Duration.ofSeconds(perRound * 4L))
                        ? KubeletApiLatency.unavailable("skipped: time budget")
                        : guarded(
                            () ->
                                new KubeletApiLatency(agent, kubectl.get(), plane.adminKubeconfig())
                                    .run(options.warmup(), options.runs()),
                            KubeletApiLatency::unavailable));
      }
      List<String> keptBulk = List.of();
      if (options.needsBulk()) {
        int pods = options.bulkPods();
        int repetitions = options.runs("B4") ? options.bulkRuns() : 1;
        BulkStartup bulk = new BulkStartup(agent, direct, starts, pods, options.syncWorkers());
        List<Row> bulkRows;
        if (!deadline.allows(Duration.ofSeconds(repetitions * 150L))) {
          bulkRows = BulkStartup.unavailable(pods, "skipped: time budget");
        } else {
          bulkRows =
              guarded(() -> bulk.run(repetitions), reason -> BulkStartup.unavailable(pods, reason));
        }
        if (options.runs("B4")) {
          rows.addAll(bulkRows);
        }
        boolean podsUp = !bulk.keptManifests().isEmpty();
        if (options.runs("B5")) {
          rows.addAll(
              !podsUp
                  ? SteadyState.unavailable(pods, "B4's pods are not running")
                  : !deadline.allows(options.steadyWindow().plusSeconds(30))
                      ? SteadyState.unavailable(pods, "skipped: time budget")
                      : guarded(
                          () ->
                              new SteadyState(
                                      agent,
                                      plane == null || !agent.clusterMode()
                                          ? null
                                          : plane.auditLog())
                                  .run(options.steadyWindow(), pods),
                          reason -> SteadyState.unavailable(pods, reason)));
        }
        if (options.runs("B6")) {
          Set<String> podNames = new HashSet<>();
          bulk.keptManifests().forEach(m -> podNames.add(agent.podName(m)));
          rows.addAll(
              !podsUp
                  ? AgentRestart.unavailable(pods, "B4's pods are not running")
                  : !deadline.allows(Duration.ofSeconds(60))
                      ? AgentRestart.unavailable(pods, "skipped: time budget")
                      : guarded(
                          () -> new AgentRestart(agent).run(podNames),
                          reason -> AgentRestart.unavailable(pods, reason)));
        }
        keptBulk = bulk.keptManifests();
      }
      if (options.runs("B7")) {
        int probed = options.probedPods();
        List<String> toRemove = keptBulk;
        rows.addAll(
            !deadline.allows(options.steadyWindow().plusSeconds(150))
                ? ProbedPods.unavailable(probed, "skipped: time budget")
                : guarded(
                    () -> {
                      if (!toRemove.isEmpty()) {
                        Progress.say("B7 removing B4's %d pods first", toRemove.size());
                        agent.removePods(toRemove, Duration.ofMinutes(3));
                      }
                      return new ProbedPods(agent).run(probed, options.steadyWindow());
                    },
                    reason -> ProbedPods.unavailable(probed, reason)));
      }
    } finally {
      stopAgent(agent);
    }
  }

  /**
   * How the agent was started: the launcher, and what --agent-jvm-opts added to its JVM settings.
   */
  private List<String> launcherAndOptions() {
    List<String> all = new ArrayList<>();
    all.add("launcher " + options.launcher());
    all.addAll(jvmOptions);
    return all;
  }

  private static Optional<Path> kubectl() {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .map(d -> Path.of(d, "kubectl"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** A benchmark body whose failure becomes n/a rows (the run goes on). */
  @FunctionalInterface
  private interface Body {
    List<Row> run() throws Exception;
  }

  private List<Row> guarded(Body body, Function<String, List<Row>> unavailable) {
    try {
      return body.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unavailable.apply("interrupted");
    } catch (Exception e) {
      Progress.say("benchmark failed: %s", e);
      return unavailable.apply("failed: " + firstLine(e));
    }
  }

  /**
   * Starts an agent on its own node; in cluster mode registers its node identity and waits until
   * its Node object exists. If cluster mode does not work, says why and falls back to standalone.
   */
  private BenchAgent startAgent(String suffix, boolean cluster) throws Exception {
    String node = "bench-" + suffix + "-" + runId;
    Path dir = options.workDir().resolve("agent-" + suffix);
    ManifestDir manifests = new ManifestDir(dir.resolve("manifests"));
    Containers containers = Containers.ofNode(engine.commands(), node);
    cleanup.add(
        "remove the containers of node " + node, () -> containers.removeAll(options.syncWorkers()));
    if (cluster) {
      try {
        AgentProcess process = launch(node, dir, plane.nodeKubeconfig(node));
        MirrorWatch mirrors = MirrorWatch.start(admin, node);
        cleanup.add("close the mirror watch of " + node, mirrors::close);
        awaitNodeRegistered(node, process);
        mode = "cluster";
        return new BenchAgent(process, manifests, containers, mirrors, admin);
      } catch (AgentFailedException | ClusterUnavailableException | KubernetesClientException e) {
        clusterUnavailable = reason(e.getMessage());
        notes.add(
            "cluster mode unavailable: "
                + clusterUnavailable
                + " (agent log: "
                + dir.resolve("agent.log")
                + ")");
        Progress.say(
            "cluster mode unavailable (%s): falling back to standalone", clusterUnavailable);
        node = "bench-" + suffix + "s-" + runId;
        Containers standalone = Containers.ofNode(engine.commands(), node);
        cleanup.add(
            "remove the containers of node " + node,
            () -> standalone.removeAll(options.syncWorkers()));
        return new BenchAgent(
            launch(node, options.workDir().resolve("agent-" + suffix + "s"), null),
            new ManifestDir(options.workDir().resolve("agent-" + suffix + "s/manifests")),
            standalone,
            null,
            null);
      }
    }
    return new BenchAgent(launch(node, dir, null), manifests, containers, null, null);
  }

  private AgentProcess launch(String node, Path dir, Path kubeconfig) throws InterruptedException {
    return launch(node, dir, kubeconfig, jvmOptions);
  }

  private AgentProcess launch(String node, Path dir, Path kubeconfig, List<String> jvm)
      throws InterruptedException {
    AgentLaunch launch =
        AgentLaunch.builder(node, dir.resolve("manifests"), dir)
            .repo(options.repo())
            .launcher(options.launcher())
            .jar(jar)
            .java(options.agentJava())
            .jvmOptions(jvm)
            .environment(options.agentEnvironment())
            .kubeconfig(kubeconfig)
            // the API server reaches the kubelet API on the Node's InternalIP: loopback
            .extraArgs(
                List.of(
                    "--node-ip",
                    "127.0.0.1",
                    "--sync-workers",
                    Integer.toString(options.syncWorkers()),
                    "--file-check-frequency",
                    "20s"))
            .build();
    AgentProcess process = new AgentProcess(launch);
    cleanup.add("stop agent " + node, process::close);
    Progress.say(
        "starting agent node=%s (%s)", node, kubeconfig == null ? "standalone" : "cluster");
    process.spawn();
    try {
      process.awaitHealthy(HEALTHY_TIMEOUT);
    } catch (AgentFailedException e) {
      process.close();
      throw e;
    }
    return process;
  }

  private void awaitNodeRegistered(String node, AgentProcess process)
      throws InterruptedException, AgentFailedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (admin.nodes().withName(node).get() == null) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String tail = process.logTail(15);
        process.close();
        throw new AgentFailedException(
            "the agent did not register Node " + node + " within 30 s; log tail:\n" + tail);
      }
      Thread.sleep(200);
    }
  }

  private void stopAgent(BenchAgent agent) throws InterruptedException {
    if (agent == null) {
      return;
    }
    agent.process().stop();
    agent.containers().removeAll(options.syncWorkers());
    if (agent.mirrors() != null) {
      agent.mirrors().close();
    }
  }

  /**
   * AppCDS: a training run of the agent with {@code -XX:ArchiveClassesAtExit} (a few pods started
   * and removed, the endpoints read, then SIGTERM, at whose exit the JVM writes the archive), then
   * every measured agent runs with {@code -XX:SharedArchiveFile}.
   */
  private void trainCdsArchive() throws InterruptedException {
    Path archive = options.workDir().resolve("staticlet.jsa");
    List<String> training = new ArrayList<>(jvmOptions);
    training.add("-XX:ArchiveClassesAtExit=" + archive);
    String node = "bench-cds-" + runId;
    Path dir = options.workDir().resolve("agent-cds");
    Containers containers = Containers.ofNode(engine.commands(), node);
    cleanup.add(
        "remove the containers of node " + node, () -> containers.removeAll(options.syncWorkers()));
    AgentProcess process = null;
    try {
      boolean cluster = clusterUnavailable == null;
      process = launch(node, dir, cluster ? plane.nodeKubeconfig(node) : null, training);
      BenchAgent agent =
          new BenchAgent(
              process, new ManifestDir(dir.resolve("manifests")), containers, null, null);
      List<String> names = List.of("cds-0", "cds-1", "cds-2");
      for (String name : names) {
        var started = starts.await(AgentLabels.appOf(node, agent.podName(name)));
        agent.manifests().publish(agent.manifests().stage(name));
        Await.get(started, Duration.ofSeconds(60), "CDS training pod " + name);
      }
      Thread.sleep(cluster ? 5000 : 1000); // let the mirrors be written
      process.podsIfAnswering();
      process.metrics();
      agent.removePods(names, Duration.ofSeconds(60));
      process.stop();
      if (!Files.isRegularFile(archive)) {
        throw new IllegalStateException("the JVM wrote no archive at exit");
      }
      jvmOptions = new ArrayList<>(jvmOptions);
      jvmOptions.add("-XX:SharedArchiveFile=" + archive);
      jvmOptions = List.copyOf(jvmOptions);
      notes.add(
          "AppCDS archive from a training run ("
              + (cluster ? "cluster" : "standalone")
              + " mode, 3 pods): "
              + archive
              + ", "
              + Files.size(archive) / (1024 * 1024)
              + " MB");
      Progress.say("AppCDS archive written: %s", archive);
    } catch (Exception e) {
      notes.add("AppCDS training failed, measured without it: " + firstLine(e));
      Progress.say("AppCDS training failed: %s", e);
    } finally {
      if (process != null) {
        process.close();
      }
      containers.removeAll(options.syncWorkers());
    }
  }

  /**
   * A short reason from an agent's failure: its first line and the log line naming the exception.
   */
  private static String reason(String message) {
    String first = message.lines().findFirst().orElse(message);
    String cause =
        message
            .lines()
            .filter(l -> l.contains("Exception") || l.contains("ERROR"))
            .reduce((a, b) -> b)
            .orElse("");
    cause = cause.replaceFirst("^\\S+Z\\s+", "");
    String r =
        cause.isEmpty() ? first : first.replaceFirst("; log tail:$", "") + ": " + cause.trim();
    return r.length() > 200 ? r.substring(0, 200) + "…" : r;
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.lines().findFirst().orElse(m);
  }

  private String gitCommit() {
    String head =
        run(List.of("git", "-C", options.repo().toString(), "rev-parse", "--short", "HEAD"));
    String dirty =
        run(
            List.of(
                "git",
                "-C",
                options.repo().toString(),
                "status",
                "--porcelain",
                "--untracked-files=no"));
    return head.isEmpty()
        ? "unknown"
        : "repository at "
            + head
            + (dirty.isEmpty() ? "" : " (working tree modified)")
            + " when the bench started";
  }

  private String javaVersion() {
    String out = run(List.of(options.agentJava().toString(), "-version"));
    return out.lines()
        .filter(l -> l.contains("version"))
        .findFirst()
        .orElse(out.lines().findFirst().orElse("?"));
  }

  private static String run(List<String> command) {
    CommandResult result = Commands.result(command, Duration.ofSeconds(60));
    return result.succeeded() ? result.stdout().trim() : "";
  }

  private static String safe(Supplier<String> s) {
    try {
      return s.get();
    } catch (RuntimeException e) {
      return "?";
    }
  }

  /**
   * Empties the work directory of the previous run; refuses a non-empty directory the bench did not
   * make.
   */
  private static void clearWorkDir(Path dir) throws IOException {
    Path marker = dir.resolve(".staticlet-bench");
    if (Files.isDirectory(dir)) {
      boolean empty;
      try (Stream<Path> entries = Files.list(dir)) {
        empty = entries.findAny().isEmpty();
      }
      if (!empty && !Files.exists(marker)) {
        throw new IllegalStateException(
            dir + " is not empty and not a bench work directory: not clearing it");
      }
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    Files.createDirectories(dir);
    Files.writeString(marker, "work directory of deploy/bench.sh; cleared at every run\n");
  }
}
