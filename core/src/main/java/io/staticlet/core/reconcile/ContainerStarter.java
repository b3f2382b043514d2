package io.staticlet.core.reconcile;

import io.fabric8.kubernetes.api.model.Container;
import io.staticlet.core.container.ContainerLaunches;
import io.staticlet.core.container.LifecycleHandlers;
import io.staticlet.core.events.KubeletEvents;
import io.staticlet.core.hooks.LifecycleHookRunner;
import io.staticlet.core.pod.ContainerKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.reconcile.RuntimeAction.StartContainer;
import io.staticlet.core.reconcile.RuntimeAction.StartCreated;
import io.staticlet.core.runtime.ContainerConfigRejectedException;
import io.staticlet.core.runtime.ContainerLaunch;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.runtime.ContainerSpecRejectedException;
import io.staticlet.core.runtime.ImagePullException;
import io.staticlet.core.runtime.LifecycleHandler;
import io.staticlet.core.runtime.PullPolicy;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.status.ContainerWaiting;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts init and app containers the kubelet's way ({@code startContainer}): pull per policy,
 * create, start, then the postStart hook, which kills the container when it fails. A failed pull or
 * a refused create is a start failure: recorded in {@link StartFailures}, shown as waiting and
 * retried with back-off. Called on a reconcile worker thread; blocks on the engine and the hook.
 */
final class ContainerStarter {
  private static final Logger log = LoggerFactory.getLogger(ContainerStarter.class);

  private final ContainerRuntime runtime;
  private final ContainerLaunches launches;
  private final StartFailures startFailures;
  private final LifecycleHookRunner hooks;
  private final PodTerminator terminator;
  private final KubeletEvents events;

  ContainerStarter(
      ContainerRuntime runtime,
      ContainerLaunches launches,
      StartFailures startFailures,
      LifecycleHookRunner hooks,
      PodTerminator terminator,
      KubeletEvents events) {
    this.runtime = runtime;
    this.launches = launches;
    this.startFailures = startFailures;
    this.hooks = hooks;
    this.terminator = terminator;
    this.events = events;
  }

  void start(StaticPod pod, StartContainer action, PassTally tally) {
    Container spec = spec(pod, action.role(), action.container());
    ContainerKey key = new ContainerKey(pod.key(), pod.uid(), action.container());
    startFailures.attempting(key);
    try {
      runtime.ensureImage(
          spec.getImage(), PullPolicy.of(spec.getImagePullPolicy(), spec.getImage()));
    } catch (ImagePullException e) {
      startFailed(pod, key, action.role(), "ErrImagePull", e.getMessage(), tally);
      return;
    }
    RuntimeContainer sandbox = tally.sandbox();
    String id;
    try {
      id = runtime.createContainer(launch(pod, spec, action, sandbox));
    } catch (ContainerSpecRejectedException e) {
      String reason =
          e instanceof ContainerConfigRejectedException
              ? "CreateContainerConfigError"
              : "CreateContainerError";
      startFailed(pod, key, action.role(), reason, e.getMessage(), tally);
      return;
    }
    tally.changed();
    events.created(pod.key(), pod.uid(), action.role(), action.container());
    try {
      runtime.start(id);
    } catch (ContainerSpecRejectedException e) {
      // the instance stays, marked as unable to run; the next pass restarts it with back-off
      log.warn(
          "container could not run pod={} container={} error={}",
          pod.key(),
          action.container(),
          e.getMessage());
      events.failed(
          pod.key(),
          pod.uid(),
          action.role(),
          action.container(),
          "RunContainerError",
          e.getMessage());
      return;
    }
    startFailures.succeeded(key);
    events.started(pod.key(), pod.uid(), action.role(), action.container());
    log.info(
        "container started pod={} container={} attempt={} id={}",
        pod.key(),
        action.container(),
        action.attempt(),
        id.length() > 12 ? id.substring(0, 12) : id);
    runPostStart(pod, spec, action.role(), id, podIp(pod, sandbox));
  }

  /**
   * The one place a {@link ContainerLaunch} is built from the pod's spec (core resolves it, the
   * engine maps it).
   */
  private ContainerLaunch launch(
      StaticPod pod, Container spec, StartContainer action, RuntimeContainer sandbox) {
    return launches.resolve(
        pod,
        spec,
        action.role(),
        action.attempt(),
        sandbox.id(),
        pod.hostNetwork() ? runtime.hostIp() : sandbox.ip(),
        runtime.hostIp());
  }

  void startCreated(StaticPod pod, StartCreated action, PassTally tally) {
    RuntimeContainer inst = action.instance();
    try {
      runtime.start(inst.id());
      tally.changed();
    } catch (ContainerSpecRejectedException e) {
      startFailed(
          pod,
          new ContainerKey(pod.key(), pod.uid(), inst.name()),
          inst.role(),
          "RunContainerError",
          e.getMessage(),
          tally);
    }
  }

  /** The kubelet runs postStart right after the start and kills the container when it fails. */
  private void runPostStart(
      StaticPod pod, Container spec, ContainerRole role, String id, String podIp) {
    if (spec.getLifecycle() == null || spec.getLifecycle().getPostStart() == null) {
      return;
    }
    LifecycleHandler handler = LifecycleHandlers.of(spec.getLifecycle().getPostStart());
    Optional<String> failure;
    try {
      failure =
          hooks.run(id, podIp, handler, Duration.ofSeconds(pod.terminationGracePeriodSeconds()));
    } catch (RuntimeException e) {
      failure = Optional.of(String.valueOf(e.getMessage()));
    }
    if (failure.isEmpty()) {
      return;
    }
    log.warn(
        "postStart hook failed, killing container pod={} container={} error={}",
        pod.key(),
        spec.getName(),
        failure.get());
    events.hookFailed(pod.key(), pod.uid(), role, spec.getName(), "PostStart", failure.get());
    runtime.listManaged(pod.key()).stream()
        .filter(c -> c.id().equals(id))
        .findFirst()
        .ifPresent(c -> terminator.stopContainer(c, podIp, c.gracePeriod(), "FailedPostStartHook"));
  }

  private void startFailed(
      StaticPod pod,
      ContainerKey key,
      ContainerRole role,
      String reason,
      String message,
      PassTally tally) {
    startFailures.failed(key, reason, message);
    events.failed(pod.key(), pod.uid(), role, key.container(), reason, message);
    tally.waiting(key.container(), new ContainerWaiting(reason, message));
    log.warn(
        "container not started pod={} container={} reason={} error={}",
        pod.key(),
        key.container(),
        reason,
        message);
    tally.retryAfter(startFailures.remaining(key), reason);
  }

  private String podIp(StaticPod pod, RuntimeContainer sandbox) {
    return pod.hostNetwork() || sandbox.ip().isEmpty() ? runtime.hostIp() : sandbox.ip();
  }

  private static Container spec(StaticPod pod, ContainerRole role, String name) {
    Stream<Container> specs =
        role == ContainerRole.INIT
            ? PodCompletion.initContainers(pod).stream()
            : pod.pod().getSpec().getContainers().stream();
    return specs
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no " + role + " container " + name + " in " + pod.key()));
  }
}
