package io.staticlet.app.kubeletapi;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.reconcile.DesiredPods;
import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.runtime.RuntimeContainer;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds the engine containers behind a kubelet API path: the desired pod (the manifest's current
 * incarnation), then its instances as the engine lists them, newest attempt first. Nothing is
 * remembered: every call asks the engine (as the reconciler does).
 */
public final class ContainerLocator {
  private final Function<PodKey, Optional<StaticPod>> desired;
  private final ContainerRuntime runtime;

  public ContainerLocator(DesiredPods desired, ContainerRuntime runtime) {
    this(desired::get, runtime);
  }

  ContainerLocator(Function<PodKey, Optional<StaticPod>> desired, ContainerRuntime runtime) {
    this.desired = desired;
    this.runtime = runtime;
  }

  /** The static pod {@code namespace/name} the agent runs now. */
  public Optional<StaticPod> pod(String namespace, String name) {
    return desired.apply(new PodKey(namespace, name));
  }

  /** The pod, only if its UID is {@code uid} (an empty {@code uid} matches any). */
  public Optional<StaticPod> pod(String namespace, String name, String uid) {
    return pod(namespace, name).filter(p -> uid == null || uid.isEmpty() || p.uid().equals(uid));
  }

  /** Whether the pod's spec declares {@code container} (init or app container). */
  public boolean declares(StaticPod pod, String container) {
    return pod.pod().getSpec().getContainers().stream().anyMatch(c -> c.getName().equals(container))
        || pod.pod().getSpec().getInitContainers().stream()
            .anyMatch(c -> c.getName().equals(container));
  }

  /** The running instance of {@code container} of the pod's current incarnation. */
  public Optional<String> runningContainerId(String namespace, String pod, String container) {
    return instances(namespace, pod, container).stream()
        .filter(RuntimeContainer::isRunning)
        .findFirst()
        .map(RuntimeContainer::id);
  }

  /**
   * The newest instance of {@code container}, running or not (what {@code status.containerID}
   * names).
   */
  public Optional<RuntimeContainer> currentInstance(
      String namespace, String pod, String container) {
    return instances(namespace, pod, container).stream().findFirst();
  }

  /**
   * The instance before the newest one, if it terminated: {@code lastState.terminated.containerID},
   * what {@code previous=true} reads.
   */
  public Optional<String> lastTerminatedId(String namespace, String pod, String container) {
    List<RuntimeContainer> all = instances(namespace, pod, container);
    return all.size() < 2 || !all.get(1).hasTerminated()
        ? Optional.empty()
        : Optional.of(all.get(1).id());
  }

  /** The running sandbox (pause container) of the pod's current incarnation. */
  public Optional<String> sandboxId(String namespace, String pod) {
    return pod(namespace, pod)
        .flatMap(
            p ->
                runtime.listManaged(p.key()).stream()
                    .filter(c -> c.isSandbox() && c.podUid().equals(p.uid()) && c.isRunning())
                    .max(Comparator.comparingInt(RuntimeContainer::attempt))
                    .map(RuntimeContainer::id));
  }

  private List<RuntimeContainer> instances(String namespace, String pod, String container) {
    return pod(namespace, pod)
        .map(
            p ->
                runtime.listManaged(p.key()).stream()
                    .filter(
                        c ->
                            !c.isSandbox()
                                && c.podUid().equals(p.uid())
                                && c.name().equals(container))
                    .sorted(
                        Comparator.comparingInt(RuntimeContainer::attempt)
                            .reversed()
                            .thenComparing(RuntimeContainer::createdAt, Comparator.reverseOrder()))
                    .toList())
        .orElse(List.of());
  }
}
