package io.staticlet.core.reconcile;

import io.fabric8.kubernetes.api.model.Container;
import io.staticlet.core.backoff.RestartBackoff;
import io.staticlet.core.events.KubeletEvents;
import io.staticlet.core.hooks.LifecycleHookRunner;
import io.staticlet.core.pod.ContainerKey;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerConfigRejectedException;
import io.staticlet.core.runtime.ContainerLaunch;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.runtime.ContainerSpecRejectedException;
import io.staticlet.core.runtime.ContainerState;
import io.staticlet.core.runtime.ImagePullException;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.runtime.RuntimeUnavailableException;
import io.staticlet.core.status.ContainerHealth;
import io.staticlet.core.status.ContainerWaiting;
import io.staticlet.core.status.PodStatusComputer;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.status.PodStatusValue;
import io.staticlet.core.status.PodView;
import io.staticlet.core.status.QosClass;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Converges one static pod: reads the desired pod from {@link DesiredPods} and the actual
 * containers from the engine (by label, never from memory), then stops what should not run,
 * starts what should, garbage-collects dead instances and records the computed status. Level
 * triggered and idempotent: it never trusts the event that woke it. One pass per pod at a time
 * (the work queue guarantees it); different pods run in parallel.
 */
public final class Reconciler {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
  /** The back-off key of a pod's sandbox (the kubelet's container name for sandboxes). */
  private static final String SANDBOX = "POD";

  private final DesiredPods desired;
  private final ContainerRuntime runtime;
  private final PodStatusStore statusStore;
  private final PodTerminator terminator;
  private final RestartBackoff<ContainerKey> crashBackoff;
  private final StartFailures startFailures;
  private final ContainerHealth health;
  private final LifecycleHookRunner hooks;
  private final ReconcilerSettings settings;
  private final Clock clock;
  private final KubeletEvents events;
  private final PodStatusComputer statusComputer = new PodStatusComputer();

  /** @param events where the kubelet's pod events go ({@code Created}, {@code Started}, {@code BackOff}, ...) */
  public Reconciler(
      DesiredPods desired,
      ContainerRuntime runtime,
      PodStatusStore statusStore,
      PodTerminator terminator,
      RestartBackoff<ContainerKey> crashBackoff,
      StartFailures startFailures,
      ContainerHealth health,
      LifecycleHookRunner hooks,
      ReconcilerSettings settings,
      Clock clock,
      KubeletEvents events) {
    this.events = events;
    this.desired = desired;
    this.runtime = runtime;
    this.statusStore = statusStore;
    this.terminator = terminator;
    this.crashBackoff = crashBackoff;
    this.startFailures = startFailures;
    this.health = health;
    this.hooks = hooks;
    this.settings = settings;
    this.clock = clock;
  }

  public SyncOutcome reconcile(PodKey key) {
    try {
      return sync(key);
    } catch (RuntimeUnavailableException e) {
      log.warn("container engine unavailable, will retry pod={} in={}s error={}", key, settings.retryDelay().toSeconds(), e.getMessage());
      showNewIncarnation(key, e.getMessage());
      return new SyncOutcome.RetryAfter(settings.retryDelay(), e.getMessage());
    }
  }

  /**
   * While the engine does not answer, a new or edited manifest still shows in {@code /pods} (and
   * its mirror): Pending, with the engine's problem as the message, until a pass gets through.
   */
  private void showNewIncarnation(PodKey key, String problem) {
    desired.get(key)
        .filter(pod -> statusStore.get(key).map(v -> !v.pod().uid().equals(pod.uid())).orElse(true))
        .ifPresent(pod -> statusStore.update(pod, PodStatusValue.pending(
            "the container engine does not answer: " + problem, QosClass.of(pod.pod().getSpec()))));
  }

  private SyncOutcome sync(PodKey key) {
    MDC.remove("file");
    Optional<StaticPod> wanted = desired.get(key);
    List<RuntimeContainer> actual = runtime.listManaged(key);
    if (wanted.isEmpty()) {
      return removePod(key, actual);
    }
    StaticPod pod = wanted.get();
    MDC.put("file", pod.source().toString());
    List<RuntimeContainer> stale = actual.stream().filter(c -> !c.podUid().equals(pod.uid())).toList();
    if (!stale.isEmpty()) {
      // DECISIONS.md 9: the old incarnation is fully terminated before the new one starts
      stopIncarnations(key, stale, "manifest changed");
    }
    List<RuntimeContainer> mine = actual.stream().filter(c -> c.podUid().equals(pod.uid())).toList();
    PodPass pass = new PodPass(pod, mine);
    pass.run();
    List<RuntimeContainer> after = pass.changed ? runtime.listManaged(key) : mine;
    PodStatusValue previous = statusStore.get(key)
        .filter(v -> v.pod().uid().equals(pod.uid()))
        .map(PodView::status)
        .orElse(null);
    PodStatusValue status = statusComputer.compute(new PodStatusComputer.Input(
        pod, after, pass.waiting, previous, runtime.hostIp(), clock.instant(), health));
    statusStore.update(pod, status);
    if (pass.retryIn != null) {
      return new SyncOutcome.Waiting(pass.retryIn, pass.retryReason);
    }
    if (pass.changed) {
      // engine events report what the new containers do next; this short resync is the safety net
      return new SyncOutcome.Converged(Duration.ofSeconds(1));
    }
    return new SyncOutcome.Converged(settings.syncFrequency());
  }

  private SyncOutcome removePod(PodKey key, List<RuntimeContainer> actual) {
    if (!desired.listedOnce()) {
      return new SyncOutcome.Converged(settings.syncFrequency());
    }
    if (!actual.isEmpty()) {
      stopIncarnations(key, actual, "manifest removed");
      log.info("pod removed pod={}", key);
    }
    statusStore.remove(key);
    return new SyncOutcome.Gone();
  }

  private void stopIncarnations(PodKey key, List<RuntimeContainer> containers, String why) {
    terminator.stopAndRemoveAll(containers, why);
    Set<String> uids = containers.stream().map(RuntimeContainer::podUid).collect(Collectors.toSet());
    for (String uid : uids) {
      runtime.removePodResources(key, uid);
      startFailures.forgetPod(uid);
      crashBackoff.forgetIf(k -> k.podUid().equals(uid));
      log.info("pod incarnation stopped pod={} uid={} reason={}", key, uid, why);
    }
  }

  /** One pass over one incarnation of a pod. */
  private final class PodPass {
    final StaticPod pod;
    List<RuntimeContainer> mine;
    final Map<String, ContainerWaiting> waiting = new HashMap<>();
    boolean changed;
    Duration retryIn;
    String retryReason;

    PodPass(StaticPod pod, List<RuntimeContainer> mine) {
      this.pod = pod;
      this.mine = mine;
    }

    void run() {
      RuntimeContainer sandbox = latest(mine.stream().filter(RuntimeContainer::isSandbox).toList());
      boolean anyContainerCreated = mine.stream().anyMatch(c -> !c.isSandbox());
      if (sandbox == null || !sandbox.isRunning()) {
        if (sandbox != null && "Never".equals(pod.restartPolicy()) && anyContainerCreated) {
          // the kubelet does not recreate the sandbox of a restartPolicy=Never pod that already ran
          collectGarbage(sandbox);
          return;
        }
        if (sandbox != null && isFinished()) {
          collectGarbage(sandbox);
          return;
        }
        sandbox = startSandbox(sandbox);
        if (sandbox == null) {
          return;
        }
      }
      final String sandboxId = sandbox.id();
      List<RuntimeContainer> strays = mine.stream()
          .filter(c -> !c.isSandbox() && c.isRunning() && !c.sandboxId().equals(sandboxId))
          .toList();
      if (!strays.isEmpty()) {
        terminator.stopAll(strays, "sandbox changed");
        changed = true;
      }
      if (runInitContainers(sandbox)) {
        runAppContainers(sandbox);
      }
      if (isFinished()) {
        terminator.stopAll(List.of(sandbox), "pod completed");
      }
      collectGarbage(sandbox);
    }

    private RuntimeContainer startSandbox(RuntimeContainer previous) {
      List<RuntimeContainer> running = mine.stream().filter(c -> !c.isSandbox() && c.isRunning()).toList();
      if (!running.isEmpty()) {
        terminator.stopAll(running, "sandbox gone");
      }
      int attempt = previous == null ? 0 : previous.attempt() + 1;
      if (previous != null) {
        events.sandboxChanged(pod.key(), pod.uid());
      }
      ContainerKey sandboxKey = new ContainerKey(pod.key(), pod.uid(), SANDBOX);
      Duration wait = startFailures.remaining(sandboxKey);
      if (wait.compareTo(Duration.ZERO) > 0) {
        sandboxWaiting(startFailures.waiting(sandboxKey).map(ContainerWaiting::message).orElse(""));
        waitFor(wait, "sandbox back-off");
        return null;
      }
      startFailures.attempting(sandboxKey);
      String id;
      try {
        id = runtime.startSandbox(pod, attempt);
      } catch (ContainerSpecRejectedException | ImagePullException e) {
        // e.g. a hostPort already taken: the kubelet's FailedCreatePodSandBox, retried with back-off
        startFailures.failed(sandboxKey, "ContainerCreating", "failed to create pod sandbox: " + e.getMessage());
        log.warn("pod sandbox not created pod={} attempt={} error={}", pod.key(), attempt, e.getMessage());
        events.sandboxFailed(pod.key(), pod.uid(), e.getMessage());
        sandboxWaiting("failed to create pod sandbox: " + e.getMessage());
        waitFor(startFailures.remaining(sandboxKey), "FailedCreatePodSandBox");
        return null;
      }
      startFailures.succeeded(sandboxKey);
      changed = true;
      log.info("sandbox started pod={} attempt={} id={}", pod.key(), attempt, shortId(id));
      mine = runtime.listManaged(pod.key()).stream().filter(c -> c.podUid().equals(pod.uid())).toList();
      return mine.stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
    }

    /** Every container waits on the sandbox: show why. */
    private void sandboxWaiting(String message) {
      List<Container> all = new ArrayList<>(pod.pod().getSpec().getContainers());
      if (pod.pod().getSpec().getInitContainers() != null) {
        all.addAll(pod.pod().getSpec().getInitContainers());
      }
      for (Container c : all) {
        waiting.put(c.getName(), new ContainerWaiting("ContainerCreating", message));
      }
    }

    /** Returns true when every init container has completed successfully. */
    private boolean runInitContainers(RuntimeContainer sandbox) {
      List<Container> init = pod.pod().getSpec().getInitContainers();
      if (init == null) {
        return true;
      }
      for (Container spec : init) {
        RuntimeContainer inst = latestIn(sandbox, ContainerRole.INIT, spec.getName());
        if (inst == null) {
          start(spec, ContainerRole.INIT, nextAttempt(ContainerRole.INIT, spec.getName()), sandbox);
          return false;
        }
        if (inst.isRunning()) {
          return false;
        }
        if (inst.hasTerminated() && inst.effectiveExitCode() == 0) {
          continue;
        }
        if (!failed(inst)) {
          startExisting(inst, spec);
          return false;
        }
        if (!"Never".equals(pod.restartPolicy())) {
          restartWithBackoff(inst, spec, ContainerRole.INIT, sandbox);
        }
        return false;
      }
      return true;
    }

    private void runAppContainers(RuntimeContainer sandbox) {
      for (Container spec : pod.pod().getSpec().getContainers()) {
        RuntimeContainer inst = latestIn(sandbox, ContainerRole.APP, spec.getName());
        if (inst == null) {
          start(spec, ContainerRole.APP, nextAttempt(ContainerRole.APP, spec.getName()), sandbox);
        } else if (inst.isRunning()) {
          killIfUnhealthy(inst, spec, sandbox);
        } else if (!inst.hasTerminated()) {
          startExisting(inst, spec);
        } else if (shouldRestart(inst)) {
          restartWithBackoff(inst, spec, ContainerRole.APP, sandbox);
        }
      }
    }

    /** Kills a running container whose liveness or startup probe failed; the next pass restarts it per policy. */
    private void killIfUnhealthy(RuntimeContainer inst, Container spec, RuntimeContainer sandbox) {
      ContainerKey key = new ContainerKey(pod.key(), pod.uid(), spec.getName());
      Optional<String> why = health.mustRestart(key, inst.id());
      if (why.isEmpty()) {
        return;
      }
      log.info("killing unhealthy container pod={} container={} reason={}", pod.key(), spec.getName(), why.get());
      Duration grace = health.killGracePeriod(key, inst.id()).orElse(inst.gracePeriod());
      terminator.stopContainer(inst, podIp(sandbox), grace, why.get(), capitalized(why.get()));
      changed = true;
    }

    private String podIp(RuntimeContainer sandbox) {
      return pod.hostNetwork() || sandbox.ip().isEmpty() ? runtime.hostIp() : sandbox.ip();
    }

    /** True when no app container runs and none will be restarted: the pod reached Succeeded or Failed. */
    private boolean isFinished() {
      if ("Always".equals(pod.restartPolicy())) {
        return false;
      }
      RuntimeContainer sandbox = latest(mine.stream().filter(RuntimeContainer::isSandbox).toList());
      if (sandbox == null) {
        return false;
      }
      List<Container> init = pod.pod().getSpec().getInitContainers();
      if ("Never".equals(pod.restartPolicy()) && init != null) {
        for (Container spec : init) {
          RuntimeContainer inst = latestAny(ContainerRole.INIT, spec.getName());
          if (inst != null && inst.hasTerminated() && inst.effectiveExitCode() != 0) {
            return true;
          }
        }
      }
      for (Container spec : pod.pod().getSpec().getContainers()) {
        RuntimeContainer inst = latestAny(ContainerRole.APP, spec.getName());
        if (inst == null || inst.isRunning() || shouldRestart(inst) || !inst.hasTerminated()) {
          return false;
        }
      }
      return true;
    }

    private boolean shouldRestart(RuntimeContainer inst) {
      return switch (pod.restartPolicy()) {
        case "Never" -> false;
        case "OnFailure" -> failed(inst);
        default -> true;
      };
    }

    private boolean failed(RuntimeContainer inst) {
      return inst.hasTerminated() && inst.effectiveExitCode() != 0;
    }

    private void restartWithBackoff(RuntimeContainer inst, Container spec, ContainerRole role, RuntimeContainer sandbox) {
      ContainerKey key = new ContainerKey(pod.key(), pod.uid(), spec.getName());
      Instant failedAt = inst.finishedAt() != null ? inst.finishedAt() : inst.createdAt();
      Duration remaining = crashBackoff.remaining(key, failedAt);
      if (remaining.compareTo(Duration.ZERO) > 0) {
        Duration delay = crashBackoff.currentDelay(key);
        waiting.put(spec.getName(), new ContainerWaiting("CrashLoopBackOff",
            "back-off " + delay.toSeconds() + "s restarting failed container=" + spec.getName() + " pod=" + pod.key().name() + "_" + pod.key().namespace() + "(" + pod.uid() + ")"));
        waitFor(remaining, "CrashLoopBackOff");
        events.backOff(pod.key(), pod.uid(), role, spec.getName());
        return;
      }
      crashBackoff.recordRetry(key);
      log.info("restarting container pod={} container={} exitCode={} restartCount={}", pod.key(), spec.getName(), inst.exitCode(), inst.attempt() + 1);
      start(spec, role, Math.max(inst.attempt() + 1, nextAttempt(role, spec.getName())), sandbox);
    }

    private void startExisting(RuntimeContainer inst, Container spec) {
      try {
        runtime.start(inst.id());
        changed = true;
      } catch (ContainerSpecRejectedException e) {
        startFailed(new ContainerKey(pod.key(), pod.uid(), spec.getName()), inst.role(), "RunContainerError", e.getMessage());
      }
    }

    private void start(Container spec, ContainerRole role, int attempt, RuntimeContainer sandbox) {
      ContainerKey key = new ContainerKey(pod.key(), pod.uid(), spec.getName());
      Duration wait = startFailures.remaining(key);
      if (wait.compareTo(Duration.ZERO) > 0) {
        startFailures.waiting(key).ifPresent(w -> waiting.put(spec.getName(), w));
        waitFor(wait, "start back-off");
        return;
      }
      startFailures.attempting(key);
      try {
        runtime.ensureImage(spec.getImage(), spec.getImagePullPolicy());
      } catch (ImagePullException e) {
        startFailed(key, role, "ErrImagePull", e.getMessage());
        return;
      }
      String id;
      try {
        id = runtime.createContainer(pod, new ContainerLaunch(spec, role, attempt, sandbox.id(), pod.hostNetwork() ? runtime.hostIp() : sandbox.ip()));
      } catch (ContainerSpecRejectedException e) {
        startFailed(key, role, e instanceof ContainerConfigRejectedException ? "CreateContainerConfigError" : "CreateContainerError",
            e.getMessage());
        return;
      }
      changed = true;
      events.created(pod.key(), pod.uid(), role, spec.getName());
      try {
        runtime.start(id);
      } catch (ContainerSpecRejectedException e) {
        // the instance stays, marked as unable to run; the next pass restarts it with back-off
        log.warn("container could not run pod={} container={} error={}", pod.key(), spec.getName(), e.getMessage());
        events.failed(pod.key(), pod.uid(), role, spec.getName(), "RunContainerError", e.getMessage());
        return;
      }
      startFailures.succeeded(key);
      events.started(pod.key(), pod.uid(), role, spec.getName());
      log.info("container started pod={} container={} attempt={} id={}", pod.key(), spec.getName(), attempt, shortId(id));
      runPostStart(spec, role, id, sandbox);
    }

    /** The kubelet runs postStart right after the start and kills the container when it fails. */
    private void runPostStart(Container spec, ContainerRole role, String id, RuntimeContainer sandbox) {
      if (spec.getLifecycle() == null || spec.getLifecycle().getPostStart() == null) {
        return;
      }
      Duration timeout = Duration.ofSeconds(pod.terminationGracePeriodSeconds());
      Optional<String> failure;
      try {
        failure = hooks.run(id, podIp(sandbox), spec.getLifecycle().getPostStart(), timeout);
      } catch (RuntimeException e) {
        failure = Optional.of(String.valueOf(e.getMessage()));
      }
      if (failure.isEmpty()) {
        return;
      }
      log.warn("postStart hook failed, killing container pod={} container={} error={}", pod.key(), spec.getName(), failure.get());
      events.hookFailed(pod.key(), pod.uid(), role, spec.getName(), "PostStart", failure.get());
      List<RuntimeContainer> now = runtime.listManaged(pod.key());
      now.stream().filter(c -> c.id().equals(id)).findFirst()
          .ifPresent(c -> terminator.stopContainer(c, podIp(sandbox), c.gracePeriod(), "FailedPostStartHook"));
    }

    private void startFailed(ContainerKey key, ContainerRole role, String reason, String message) {
      startFailures.failed(key, reason, message);
      events.failed(pod.key(), pod.uid(), role, key.container(), reason, message);
      waiting.put(key.container(), new ContainerWaiting(reason, message));
      log.warn("container not started pod={} container={} reason={} error={}", pod.key(), key.container(), reason, message);
      waitFor(startFailures.remaining(key), reason);
    }

    private void waitFor(Duration delay, String reason) {
      if (delay.isZero() || delay.isNegative()) {
        delay = Duration.ofMillis(100);
      }
      if (retryIn == null || delay.compareTo(retryIn) < 0) {
        retryIn = delay;
        retryReason = reason;
      }
    }

    private int nextAttempt(ContainerRole role, String name) {
      RuntimeContainer last = latestAny(role, name);
      return last == null ? 0 : last.attempt() + 1;
    }

    private RuntimeContainer latestIn(RuntimeContainer sandbox, ContainerRole role, String name) {
      return latest(mine.stream()
          .filter(c -> c.role() == role && c.name().equals(name) && c.sandboxId().equals(sandbox.id()))
          .toList());
    }

    private RuntimeContainer latestAny(ContainerRole role, String name) {
      return latest(mine.stream().filter(c -> c.role() == role && c.name().equals(name)).toList());
    }

    /** Removes dead instances, keeping the newest dead one per container for its logs and lastState. */
    private void collectGarbage(RuntimeContainer currentSandbox) {
      Map<String, List<RuntimeContainer>> byName = new HashMap<>();
      for (RuntimeContainer c : mine) {
        if (!c.isSandbox()) {
          byName.computeIfAbsent(c.role() + "/" + c.name(), k -> new ArrayList<>()).add(c);
        }
      }
      Set<String> removed = new HashSet<>();
      for (List<RuntimeContainer> instances : byName.values()) {
        List<RuntimeContainer> dead = instances.stream()
            .filter(RuntimeContainer::hasTerminated)
            .sorted(Comparator.comparingInt(RuntimeContainer::attempt).reversed())
            .toList();
        for (RuntimeContainer c : dead.stream().skip(1).toList()) {
          runtime.remove(c.id());
          removed.add(c.id());
        }
      }
      Set<String> referenced = mine.stream()
          .filter(c -> !c.isSandbox() && !removed.contains(c.id()))
          .map(RuntimeContainer::sandboxId)
          .collect(Collectors.toSet());
      for (RuntimeContainer c : mine) {
        if (c.isSandbox() && !c.isRunning() && !c.id().equals(currentSandbox.id()) && !referenced.contains(c.id())) {
          runtime.remove(c.id());
          removed.add(c.id());
        }
      }
      if (!removed.isEmpty()) {
        log.debug("removed dead containers pod={} count={}", pod.key(), removed.size());
        mine = mine.stream().filter(c -> !removed.contains(c.id())).toList();
      }
    }
  }

  private static RuntimeContainer latest(List<RuntimeContainer> containers) {
    return containers.stream().max(Comparator.comparingInt(RuntimeContainer::attempt)
        .thenComparing(RuntimeContainer::createdAt)).orElse(null);
  }

  private static String capitalized(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
