package io.staticlet.core.reconcile;

import io.staticlet.core.container.SandboxSpecs;
import io.staticlet.core.events.KubeletEvents;
import io.staticlet.core.pod.ContainerKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.reconcile.RuntimeAction.CreateSandbox;
import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.runtime.ContainerSpecRejectedException;
import io.staticlet.core.runtime.ImagePullException;
import io.staticlet.core.runtime.RuntimeContainer;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a pod's sandbox. A refused sandbox (a host port taken, the pause image missing) is the
 * kubelet's {@code FailedCreatePodSandBox}: recorded in {@link StartFailures} under {@link
 * PodPlanner#SANDBOX}, shown on every container and retried with back-off. Called on a reconcile
 * worker thread; blocks on the engine.
 */
final class SandboxStarter {
  private static final Logger log = LoggerFactory.getLogger(SandboxStarter.class);

  private final ContainerRuntime runtime;
  private final StartFailures startFailures;
  private final KubeletEvents events;

  SandboxStarter(ContainerRuntime runtime, StartFailures startFailures, KubeletEvents events) {
    this.runtime = runtime;
    this.startFailures = startFailures;
    this.events = events;
  }

  /**
   * The new sandbox as the engine lists it, or empty when it was not created (the pass stops
   * there).
   */
  Optional<RuntimeContainer> create(StaticPod pod, CreateSandbox action, PassTally tally) {
    ContainerKey key = new ContainerKey(pod.key(), pod.uid(), PodPlanner.SANDBOX);
    startFailures.attempting(key);
    String id;
    try {
      id = runtime.startSandbox(SandboxSpecs.of(pod, action.attempt()));
    } catch (ContainerSpecRejectedException | ImagePullException e) {
      String message = "failed to create pod sandbox: " + e.getMessage();
      startFailures.failed(key, "ContainerCreating", message);
      log.warn(
          "pod sandbox not created pod={} attempt={} error={}",
          pod.key(),
          action.attempt(),
          e.getMessage());
      events.sandboxFailed(pod.key(), pod.uid(), e.getMessage());
      tally.waiting(PodPlanner.everyContainer(pod, message));
      tally.retryAfter(startFailures.remaining(key), "FailedCreatePodSandBox");
      return Optional.empty();
    }
    startFailures.succeeded(key);
    tally.changed();
    log.info(
        "sandbox started pod={} attempt={} id={}",
        pod.key(),
        action.attempt(),
        id.length() > 12 ? id.substring(0, 12) : id);
    // its IP is known once it runs: the containers joining it need it
    return runtime.listManaged(pod.key()).stream()
        .filter(c -> c.id().equals(id) && c.podUid().equals(pod.uid()))
        .findFirst();
  }
}
