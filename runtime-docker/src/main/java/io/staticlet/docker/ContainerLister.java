package io.staticlet.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ContainerNetworkSettings;
import com.github.dockerjava.api.model.Frame;
import io.staticlet.core.container.TerminationMessages;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.ContainerState;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.docker.DockerErrors.Operation;
import io.staticlet.docker.DockerLabels.ManagedLabels;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code listManaged}: one {@code listContainers(all, label=io.staticlet.managed=true,
 * label=io.staticlet.node=<this node>)} call, plus an inspect only for containers whose list state
 * changed since the last call (this runs on every pod sync). The cache key is the list {@code
 * State} with the {@code Status} string minus its ever-changing age ("Up 3 minutes" → "Up", "Exited
 * (1) 2 seconds ago" → "Exited (1)"), so a steady container is inspected once; every
 * start/stop/remove through this runtime and every engine event seen by a watch also drops the
 * entry.
 */
final class ContainerLister {
  private static final Logger log = LoggerFactory.getLogger(ContainerLister.class);
  private static final Pattern STATUS_WITHOUT_AGE =
      Pattern.compile("^(Up|Exited \\(-?\\d+\\)|Restarting \\(-?\\d+\\))");
  private static final Duration LOG_TAIL_TIMEOUT = Duration.ofSeconds(5);

  private static final int INSPECT_PARALLELISM = 4;

  private final DockerClient docker;
  private final TerminationMessages terminationMessages;
  private final Map<String, String> labelFilter;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private final ThreadPoolExecutor inspectPool;

  ContainerLister(DockerClient docker, TerminationMessages terminationMessages, String nodeName) {
    this.docker = docker;
    this.terminationMessages = terminationMessages;
    this.labelFilter = DockerLabels.managedBy(nodeName);
    // threads only while a listing inspects several containers: they end 10 s after the last one
    this.inspectPool =
        new ThreadPoolExecutor(
            INSPECT_PARALLELISM,
            INSPECT_PARALLELISM,
            10,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            DaemonThreads.named("docker-inspect"));
    inspectPool.allowCoreThreadTimeOut(true);
  }

  /** Stops the inspect threads (the runtime's close). */
  void close() {
    inspectPool.shutdownNow();
  }

  private record Cached(String stateKey, ContainerDetails details) {}

  List<RuntimeContainer> list() {
    List<Container> containers = listAll();
    List<RuntimeContainer> result = toRuntimeContainers(containers);
    forgetAllBut(containers);
    return result;
  }

  /**
   * The pods of every managed container, from the one listing's labels: no inspect, so the orphan
   * sweep at start-up costs one engine call however many containers the node runs (inspecting 200
   * adopted containers there took ~0.7 s of the start, docs/performance.md). Prunes the cache like
   * {@link #list()}.
   */
  Set<PodKey> pods() {
    List<Container> containers = listAll();
    Set<PodKey> pods = new HashSet<>();
    for (Container c : containers) {
      DockerLabels.read(c.getLabels(), name(c)).ifPresent(l -> pods.add(l.pod()));
    }
    forgetAllBut(containers);
    return pods;
  }

  private List<Container> listAll() {
    return DockerErrors.call(
        Operation.ENGINE,
        "list managed containers",
        () -> docker.listContainersCmd().withShowAll(true).withLabelFilter(labelFilter).exec());
  }

  private void forgetAllBut(List<Container> containers) {
    Set<String> seen = new HashSet<>();
    containers.forEach(c -> seen.add(c.getId()));
    cache.keySet().retainAll(seen);
  }

  private static String name(Container c) {
    return c.getNames() == null || c.getNames().length == 0 ? "" : c.getNames()[0];
  }

  /**
   * The managed containers of one pod: the engine filters by the pod's labels, so a pass over one
   * pod costs the same with 1 or 100 pods on the node. Leaves other pods' cache entries alone (the
   * full {@link #list()} of the periodic sweep prunes them).
   */
  List<RuntimeContainer> list(PodKey pod) {
    Map<String, String> filter = new HashMap<>(labelFilter);
    filter.put(DockerLabels.POD_NAME, pod.name());
    filter.put(DockerLabels.POD_NAMESPACE, pod.namespace());
    List<Container> containers =
        DockerErrors.call(
            Operation.ENGINE,
            "list containers of " + pod,
            () -> docker.listContainersCmd().withShowAll(true).withLabelFilter(filter).exec());
    return toRuntimeContainers(containers);
  }

  private List<RuntimeContainer> toRuntimeContainers(List<Container> containers) {
    List<Container> managed = new ArrayList<>(containers.size());
    List<ManagedLabels> labelsOf = new ArrayList<>(containers.size());
    int uncached = 0;
    for (Container c : containers) {
      String name = name(c);
      Optional<ManagedLabels> labels = DockerLabels.read(c.getLabels(), name);
      if (labels.isEmpty()) {
        log.debug("ignoring managed container without pod labels id={} name={}", c.getId(), name);
        continue;
      }
      managed.add(c);
      labelsOf.add(labels.get());
      if (needsInspect(c, labels.get())) {
        uncached++;
      }
    }
    List<Optional<ContainerDetails>> details =
        uncached > 1 ? detailsInParallel(managed, labelsOf) : detailsInTurn(managed, labelsOf);
    List<RuntimeContainer> result = new ArrayList<>(managed.size());
    for (int i = 0; i < managed.size(); i++) {
      Container c = managed.get(i);
      ManagedLabels labels = labelsOf.get(i);
      details.get(i).ifPresent(d -> result.add(toRuntimeContainer(c, labels, d)));
    }
    return result;
  }

  private List<Optional<ContainerDetails>> detailsInTurn(
      List<Container> managed, List<ManagedLabels> labelsOf) {
    List<Optional<ContainerDetails>> details = new ArrayList<>(managed.size());
    for (int i = 0; i < managed.size(); i++) {
      details.add(details(managed.get(i), labelsOf.get(i)));
    }
    return details;
  }

  /**
   * Several containers to inspect (a restarted agent adopting 100 pods: 200): {@link
   * #INSPECT_PARALLELISM} at a time, which keeps both the engine and this process busy instead of
   * waiting on each other in turn (docs/performance.md, start-up).
   */
  private List<Optional<ContainerDetails>> detailsInParallel(
      List<Container> managed, List<ManagedLabels> labelsOf) {
    List<CompletableFuture<Optional<ContainerDetails>>> calls = new ArrayList<>(managed.size());
    for (int i = 0; i < managed.size(); i++) {
      Container c = managed.get(i);
      ManagedLabels labels = labelsOf.get(i);
      calls.add(CompletableFuture.supplyAsync(() -> details(c, labels), inspectPool));
    }
    List<Optional<ContainerDetails>> details = new ArrayList<>(managed.size());
    for (CompletableFuture<Optional<ContainerDetails>> call : calls) {
      try {
        details.add(call.join());
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw e;
      }
    }
    return details;
  }

  /** Forget what is known about a container; the next listing inspects it again. */
  void invalidate(String containerId) {
    if (containerId != null) {
      cache.remove(containerId);
    }
  }

  static String stateKey(String state, String status) {
    String s = status == null ? "" : status;
    Matcher m = STATUS_WITHOUT_AGE.matcher(s);
    return state + "|" + (m.find() ? m.group(1) : s);
  }

  /** Empty when the container disappeared between list and inspect. */
  /** What the last inspect said, while the listing's state has not changed since. */
  private Optional<ContainerDetails> cached(Container c) {
    Cached cached = cache.get(c.getId());
    return cached != null && cached.stateKey().equals(stateKey(c.getState(), c.getStatus()))
        ? Optional.of(cached.details())
        : Optional.empty();
  }

  /**
   * A running sandbox needs no inspect: the listing has all the agent reads of it (state, network
   * address, image); its start time is shown and used nowhere. A restart adopting 100 pods inspects
   * 100 containers instead of 200 (docs/performance.md, start-up).
   */
  private static boolean runningSandbox(Container c, ManagedLabels labels) {
    return labels.role() == ContainerRole.SANDBOX && "running".equals(c.getState());
  }

  /** Neither a running sandbox nor cached and unchanged since. */
  private boolean needsInspect(Container c, ManagedLabels labels) {
    return !runningSandbox(c, labels) && cached(c).isEmpty();
  }

  private Optional<ContainerDetails> details(Container c, ManagedLabels labels) {
    if (runningSandbox(c, labels)) {
      return Optional.of(
          new ContainerDetails(
              null,
              null,
              0,
              false,
              "",
              ipFromList(c.getNetworkSettings()),
              nullToEmpty(c.getImage()),
              ""));
    }
    Optional<ContainerDetails> known = cached(c);
    if (known.isPresent()) {
      return known;
    }
    String key = stateKey(c.getState(), c.getStatus());
    InspectContainerResponse inspect;
    try {
      inspect = docker.inspectContainerCmd(c.getId()).exec();
    } catch (NotFoundException gone) {
      cache.remove(c.getId());
      return Optional.empty();
    } catch (RuntimeException e) {
      throw DockerErrors.translate(Operation.ENGINE, "inspect container " + c.getId(), e);
    }
    ContainerDetails details = toDetails(c, inspect, labels);
    cache.put(c.getId(), new Cached(key, details));
    return Optional.of(details);
  }

  private ContainerDetails toDetails(
      Container c, InspectContainerResponse inspect, ManagedLabels labels) {
    InspectContainerResponse.ContainerState state = inspect.getState();
    int exitCode =
        state == null || state.getExitCodeLong() == null ? 0 : state.getExitCodeLong().intValue();
    boolean exited = "exited".equals(c.getState()) || "dead".equals(c.getState());
    String message = "";
    if (exited && labels.role() != ContainerRole.SANDBOX) {
      message =
          terminationMessages.read(
              labels.podUid(),
              labels.containerName(),
              labels.attempt(),
              labels.terminationMessagePolicy(),
              exitCode,
              () -> logTail(c.getId()));
    }
    String ip = ipFromList(c.getNetworkSettings());
    if (ip.isEmpty() && inspect.getNetworkSettings() != null) {
      ip = nullToEmpty(inspect.getNetworkSettings().getIpAddress());
      if (ip.isEmpty() && inspect.getNetworkSettings().getNetworks() != null) {
        ip = firstIp(inspect.getNetworkSettings().getNetworks());
      }
    }
    Instant startedAt = state == null ? null : time(state.getStartedAt());
    Instant finishedAt = state == null ? null : time(state.getFinishedAt());
    if (startedAt != null && finishedAt != null && finishedAt.isBefore(startedAt) && exited) {
      // Docker stamps StartedAt after runc returns; a process that exits at once "finishes" first.
      startedAt = finishedAt;
    }
    return new ContainerDetails(
        startedAt,
        finishedAt,
        exitCode,
        state != null && Boolean.TRUE.equals(state.getOOMKilled()),
        state == null ? "" : nullToEmpty(state.getError()),
        ip,
        inspect.getConfig() == null
            ? nullToEmpty(c.getImage())
            : nullToEmpty(inspect.getConfig().getImage()),
        message);
  }

  private static RuntimeContainer toRuntimeContainer(
      Container c, ManagedLabels labels, ContainerDetails d) {
    ContainerState state = state(c.getState());
    String reason = "";
    String message = "";
    int exitCode = 0;
    if (!d.error().isEmpty()) {
      reason = "ContainerCannotRun";
      message = d.error();
      exitCode = d.exitCode();
    } else if (state == ContainerState.EXITED) {
      exitCode = d.exitCode();
      reason = d.oomKilled() ? "OOMKilled" : exitCode == 0 ? "Completed" : "Error";
      message = d.message();
    }
    return new RuntimeContainer(
        c.getId(),
        labels.pod(),
        labels.podUid(),
        labels.containerName(),
        labels.role(),
        labels.attempt(),
        labels.sandboxId(),
        state,
        exitCode,
        reason,
        message,
        c.getCreated() == null ? Instant.EPOCH : Instant.ofEpochSecond(c.getCreated()),
        d.startedAt(),
        state == ContainerState.EXITED ? d.finishedAt() : null,
        d.image(),
        c.getImageId(),
        labels.role() == ContainerRole.SANDBOX ? d.ip() : "",
        labels.gracePeriod(),
        labels.preStop(),
        c.getLabels());
  }

  static ContainerState state(String dockerState) {
    if (dockerState == null) {
      return ContainerState.UNKNOWN;
    }
    switch (dockerState) {
      case "created":
        return ContainerState.CREATED;
      case "running":
        return ContainerState.RUNNING;
      case "exited":
      case "dead":
        return ContainerState.EXITED;
      default:
        return ContainerState.UNKNOWN; // paused, restarting, removing
    }
  }

  /** Docker reports "0001-01-01T00:00:00Z" for never. */
  static Instant time(String value) {
    if (value == null || value.isEmpty() || value.startsWith("0001-")) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private String logTail(String containerId) {
    StringBuilder out = new StringBuilder();
    StreamCallback<Frame> callback =
        new StreamCallback<>() {
          @Override
          public void onNext(Frame frame) {
            synchronized (out) {
              out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
          }
        };
    try {
      docker
          .logContainerCmd(containerId)
          .withStdOut(true)
          .withStdErr(true)
          .withTail(TerminationMessages.LOG_TAIL_LINES)
          .exec(callback);
      callback.awaitFinished(LOG_TAIL_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.debug("cannot read log tail for termination message id={}", containerId, e);
    } finally {
      callback.close();
    }
    synchronized (out) {
      return out.toString();
    }
  }

  private static String ipFromList(ContainerNetworkSettings settings) {
    return settings == null || settings.getNetworks() == null
        ? ""
        : firstIp(settings.getNetworks());
  }

  private static String firstIp(Map<String, ContainerNetwork> networks) {
    for (ContainerNetwork n : networks.values()) {
      if (n != null && n.getIpAddress() != null && !n.getIpAddress().isEmpty()) {
        return n.getIpAddress();
      }
    }
    return "";
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
