package io.staticlet.core.testing;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.runtime.ContainerLaunch;
import io.staticlet.core.runtime.ContainerNotFoundException;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.runtime.ContainerSpec;
import io.staticlet.core.runtime.ContainerState;
import io.staticlet.core.runtime.ExecResult;
import io.staticlet.core.runtime.ImagePullException;
import io.staticlet.core.runtime.LogQuery;
import io.staticlet.core.runtime.LogSink;
import io.staticlet.core.runtime.PullPolicy;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.runtime.RuntimeEvent;
import io.staticlet.core.runtime.RuntimeUnavailableException;
import io.staticlet.core.runtime.SandboxSpec;
import io.staticlet.core.volume.PodDirectories;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An in-memory engine for core tests: containers are records in a map, time comes from the test's
 * clock, and tests make containers exit with {@link #exit} (or at start, {@link #exitsOnStart}).
 * Records the calls it received and the launches it created. It honours the {@code
 * ContainerRuntimeContract} (its test {@code FakeContainerRuntimeContractTest}). Thread-safe.
 */
public final class FakeContainerRuntime implements ContainerRuntime {
  private final Clock clock;
  private final Map<String, RuntimeContainer> containers = new LinkedHashMap<>();
  private final Map<String, List<LogLine>> logs = new HashMap<>();
  private final List<Consumer<RuntimeEvent>> listeners = new CopyOnWriteArrayList<>();
  private final Set<String> missingImages = new HashSet<>();
  public final List<String> calls = new CopyOnWriteArrayList<>();
  public final List<String> execs = new CopyOnWriteArrayList<>();
  private int nextId = 1;
  private int nextIp = 2;
  private int failNextCalls;
  private int failNextStops;
  private String sandboxRejection;
  private final Set<String> unrunnableImages = new HashSet<>();
  private final Map<String, Exit> exitOnStart = new HashMap<>();
  private final PodDirectories podFiles;
  private final Map<String, ContainerLaunch> launches = new HashMap<>();
  private final Map<List<String>, ExecResult> execAnswers = new HashMap<>();

  public FakeContainerRuntime(Clock clock) {
    this(clock, null);
  }

  /**
   * @param podFiles the node's pod directories, which {@link #removePodResources} deletes (null:
   *     records only)
   */
  public FakeContainerRuntime(Clock clock, PodDirectories podFiles) {
    this.clock = clock;
    this.podFiles = podFiles;
  }

  private record Exit(int code, String message) {}

  /** The next {@code n} calls throw RuntimeUnavailableException. */
  public synchronized void failNext(int n) {
    failNextCalls = n;
  }

  /**
   * The next {@code n} stops miss their deadline (RuntimeUnavailableException), the container keeps
   * running.
   */
  public synchronized void failNextStops(int n) {
    failNextStops = n;
  }

  /** Sandboxes are refused with {@code message} (e.g. a host port taken) until called with null. */
  public synchronized void rejectSandboxes(String message) {
    sandboxRejection = message;
  }

  /**
   * Containers of {@code image} are created but the engine refuses to start them (exec format
   * error, missing binary).
   */
  public synchronized void unrunnable(String image) {
    unrunnableImages.add(image);
  }

  /**
   * Containers of {@code image} exit with {@code exitCode} as soon as they started (a process that
   * ends at once), leaving {@code message} as their termination message; watchers hear {@code die}.
   */
  public synchronized void exitsOnStart(String image, int exitCode, String message) {
    exitOnStart.put(image, new Exit(exitCode, message));
  }

  /**
   * {@code exec} of exactly {@code command} answers {@code result} (others exit 0 without output).
   */
  public synchronized void answerExec(List<String> command, ExecResult result) {
    execAnswers.put(List.copyOf(command), result);
  }

  /** What the container was created from. */
  public synchronized ContainerLaunch launch(String containerId) {
    ContainerLaunch launch = launches.get(containerId);
    if (launch == null) {
      throw new AssertionError("no container " + containerId + " was created");
    }
    return launch;
  }

  public synchronized void imageMissing(String image) {
    missingImages.add(image);
  }

  public synchronized void imagePresent(String image) {
    missingImages.remove(image);
  }

  private synchronized void maybeFail(String call) {
    calls.add(call);
    if (failNextCalls > 0) {
      failNextCalls--;
      throw new RuntimeUnavailableException("engine down (fake)");
    }
  }

  @Override
  public synchronized List<RuntimeContainer> listManaged() {
    maybeFail("list");
    return List.copyOf(containers.values());
  }

  @Override
  public synchronized void ensureImage(String image, PullPolicy pullPolicy) {
    maybeFail("ensureImage " + image);
    if (missingImages.contains(image)) {
      throw new ImagePullException("pull access denied for " + image);
    }
  }

  @Override
  public synchronized String startSandbox(SandboxSpec sandbox) {
    maybeFail("startSandbox " + sandbox.pod() + " " + sandbox.attempt());
    if (sandboxRejection != null) {
      throw new io.staticlet.core.runtime.ContainerSpecRejectedException(sandboxRejection);
    }
    String id = "sb" + nextId++;
    containers.put(
        id,
        new RuntimeContainer(
            id,
            sandbox.pod(),
            sandbox.podUid(),
            "POD",
            ContainerRole.SANDBOX,
            sandbox.attempt(),
            "",
            ContainerState.RUNNING,
            0,
            "",
            "",
            clock.instant(),
            clock.instant(),
            null,
            "pause",
            "sha256:pause",
            "10.88.0." + nextIp++,
            sandbox.gracePeriod(),
            Optional.empty(),
            labels(sandbox.pod(), sandbox.podUid())));
    return id;
  }

  @Override
  public synchronized String createContainer(ContainerLaunch launch) {
    ContainerSpec spec = launch.spec();
    maybeFail("create " + launch.pod() + " " + spec.name() + " " + launch.attempt());
    if (missingImages.contains(spec.image())) {
      throw new ImagePullException(
          "pull access denied for " + spec.image()); // as the engine: create needs the image
    }
    String id = "c" + nextId++;
    launches.put(id, launch);
    containers.put(
        id,
        new RuntimeContainer(
            id,
            launch.pod(),
            launch.podUid(),
            spec.name(),
            launch.role(),
            launch.attempt(),
            launch.sandboxId(),
            ContainerState.CREATED,
            0,
            "",
            "",
            clock.instant(),
            null,
            null,
            spec.image(),
            "sha256:" + spec.image().hashCode(),
            "",
            launch.gracePeriod(),
            spec.preStop(),
            labels(launch.pod(), launch.podUid())));
    return id;
  }

  private static Map<String, String> labels(PodKey pod, String uid) {
    return Map.of(
        "io.kubernetes.pod.namespace",
        pod.namespace(),
        "io.kubernetes.pod.name",
        pod.name(),
        "io.kubernetes.pod.uid",
        uid);
  }

  @Override
  public synchronized void start(String containerId) {
    maybeFail("start " + containerId);
    RuntimeContainer c = get(containerId);
    if (unrunnableImages.contains(c.image())) {
      put(with(c, ContainerState.CREATED, 127, "ContainerCannotRun", null, null));
      throw new io.staticlet.core.runtime.ContainerSpecRejectedException(
          "exec: \"/no/such/binary\": no such file or directory");
    }
    if (c.isRunning()) {
      return;
    }
    Exit exit = exitOnStart.get(c.image());
    if (exit != null) {
      RuntimeContainer exited =
          with(
              c,
              ContainerState.EXITED,
              exit.code(),
              exit.code() == 0 ? "Completed" : "Error",
              clock.instant(),
              clock.instant());
      put(
          new RuntimeContainer(
              exited.id(),
              exited.pod(),
              exited.podUid(),
              exited.name(),
              exited.role(),
              exited.attempt(),
              exited.sandboxId(),
              exited.state(),
              exited.exitCode(),
              exited.reason(),
              exit.message(),
              exited.createdAt(),
              exited.startedAt(),
              exited.finishedAt(),
              exited.image(),
              exited.imageId(),
              exited.ip(),
              exited.gracePeriod(),
              exited.preStop(),
              exited.labels()));
      for (Consumer<RuntimeEvent> l : listeners) {
        l.accept(new RuntimeEvent(c.pod(), containerId, "die"));
      }
      return;
    }
    put(with(c, ContainerState.RUNNING, 0, "", clock.instant(), null));
  }

  @Override
  public synchronized void stop(String containerId, Duration grace) {
    maybeFail("stop " + containerId + " " + grace.toSeconds());
    if (failNextStops > 0) {
      failNextStops--;
      throw new RuntimeUnavailableException(
          "stop container " + containerId + ": no answer within 35s (fake)");
    }
    RuntimeContainer c = containers.get(containerId);
    if (c == null || c.state() != ContainerState.RUNNING) {
      return;
    }
    put(with(c, ContainerState.EXITED, 143, "Error", c.startedAt(), clock.instant()));
    for (Consumer<RuntimeEvent> l : listeners) {
      l.accept(new RuntimeEvent(c.pod(), containerId, "die"));
    }
  }

  @Override
  public synchronized void remove(String containerId) {
    maybeFail("remove " + containerId);
    containers.remove(containerId);
    launches.remove(containerId);
  }

  @Override
  public synchronized ExecResult exec(String containerId, List<String> command, Duration timeout) {
    maybeFail("exec " + containerId);
    RuntimeContainer c = get(containerId);
    if (!c.isRunning()) {
      throw new RuntimeUnavailableException("container " + containerId + " is not running (fake)");
    }
    execs.add(containerId + " " + String.join(" ", command));
    return execAnswers.getOrDefault(List.copyOf(command), new ExecResult(0, "", false));
  }

  /**
   * Appends a line (with its newline) to the container's log, as if it printed it at the clock's
   * time.
   */
  public synchronized void log(String containerId, boolean stderr, String line) {
    logs.computeIfAbsent(containerId, k -> new ArrayList<>())
        .add(new LogLine(clock.instant(), stderr, line + "\n"));
  }

  /** Replays the recorded log (tail, since and timestamps applied); never follows. */
  @Override
  public synchronized AutoCloseable streamLogs(String containerId, LogQuery query, LogSink sink) {
    maybeFail("logs " + containerId);
    if (!containers.containsKey(containerId)) {
      throw new ContainerNotFoundException("no such container: " + containerId);
    }
    List<LogLine> lines =
        logs.getOrDefault(containerId, List.of()).stream()
            .filter(l -> query.since() == null || !l.at().isBefore(query.since()))
            .toList();
    if (query.tailLines() != null) {
      lines = lines.subList(Math.max(0, lines.size() - query.tailLines()), lines.size());
    }
    for (LogLine l : lines) {
      String text = query.timestamps() ? l.at() + " " + l.text() : l.text();
      sink.write(l.stderr(), text.getBytes(StandardCharsets.UTF_8));
    }
    sink.end(null);
    return () -> {};
  }

  private record LogLine(Instant at, boolean stderr, String text) {}

  @Override
  public synchronized void removePodResources(PodKey pod, String podUid) {
    calls.add("removePodResources " + pod + " " + podUid);
    if (podFiles != null) {
      try {
        podFiles.deletePod(podUid);
      } catch (java.io.IOException e) {
        throw new RuntimeUnavailableException(
            "remove directory of pod " + pod + ": " + e.getMessage());
      }
    }
  }

  @Override
  public String hostIp() {
    return "192.0.2.10";
  }

  @Override
  public String version() {
    return "fake-1.0";
  }

  @Override
  public AutoCloseable watch(Consumer<RuntimeEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  // ---- test controls ----

  /** The container exits now with {@code exitCode} (as if its process ended). */
  public void exit(String containerId, int exitCode) {
    RuntimeContainer c;
    synchronized (this) {
      c = get(containerId);
      put(
          with(
              c,
              ContainerState.EXITED,
              exitCode,
              exitCode == 0 ? "Completed" : "Error",
              c.startedAt(),
              clock.instant()));
    }
    for (Consumer<RuntimeEvent> l : listeners) {
      l.accept(new RuntimeEvent(c.pod(), containerId, "die"));
    }
  }

  /** Puts a container in directly (e.g. one left by a previous agent). */
  public synchronized void add(RuntimeContainer container) {
    containers.put(container.id(), container);
  }

  public synchronized List<RuntimeContainer> all() {
    return List.copyOf(containers.values());
  }

  public synchronized List<RuntimeContainer> running(PodKey pod) {
    return containers.values().stream().filter(c -> c.pod().equals(pod) && c.isRunning()).toList();
  }

  /** The newest instance of a named container of {@code pod} (any UID). */
  public synchronized RuntimeContainer latest(PodKey pod, String name) {
    return containers.values().stream()
        .filter(c -> c.pod().equals(pod) && c.name().equals(name))
        .max(
            java.util.Comparator.comparingInt(RuntimeContainer::attempt)
                .thenComparing(RuntimeContainer::createdAt))
        .orElseThrow(
            () ->
                new AssertionError(
                    "no container " + name + " in " + pod + ": " + containers.values()));
  }

  private RuntimeContainer get(String id) {
    RuntimeContainer c = containers.get(id);
    if (c == null) {
      throw new ContainerNotFoundException("no such container " + id);
    }
    return c;
  }

  private void put(RuntimeContainer c) {
    containers.put(c.id(), c);
  }

  private static RuntimeContainer with(
      RuntimeContainer c,
      ContainerState state,
      int exitCode,
      String reason,
      java.time.Instant startedAt,
      java.time.Instant finishedAt) {
    return new RuntimeContainer(
        c.id(),
        c.pod(),
        c.podUid(),
        c.name(),
        c.role(),
        c.attempt(),
        c.sandboxId(),
        state,
        exitCode,
        reason,
        c.message(),
        c.createdAt(),
        startedAt,
        finishedAt,
        c.image(),
        c.imageId(),
        c.ip(),
        c.gracePeriod(),
        c.preStop(),
        c.labels());
  }
}
