package io.staticlet.core.status;

import io.fabric8.kubernetes.api.model.Container;
import io.staticlet.core.pod.ContainerKey;
import io.staticlet.core.pod.RestartPolicy;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.ContainerState;
import io.staticlet.core.runtime.RuntimeContainer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Computes a pod's status the way the kubelet does ({@code generateAPIPodStatus}, {@code getPhase};
 * docs/kubelet.md §3.5) from the engine's containers of one pod incarnation. Pure: all inputs are
 * arguments, so it is tested without an engine. The result is an immutable {@link PodStatusValue};
 * {@link PodStatusRenderer} makes the API object of it.
 */
public final class PodStatusComputer {
  private static final String DOCKER = "docker://";
  private static final ContainerWaiting CREATING = new ContainerWaiting("ContainerCreating", null);

  /**
   * Everything the computation reads. {@code previous} is the last status of the same UID, or null.
   */
  public record Input(
      StaticPod pod,
      List<RuntimeContainer> containers,
      Map<String, ContainerWaiting> waiting,
      PodStatusValue previous,
      String hostIp,
      Instant now,
      ContainerHealth health) {
    public Input {
      containers = List.copyOf(containers);
      waiting = Map.copyOf(waiting);
    }
  }

  public PodStatusValue compute(Input in) {
    StaticPod pod = in.pod();
    List<RuntimeContainer> mine =
        in.containers().stream().filter(c -> c.podUid().equals(pod.uid())).toList();
    Optional<RuntimeContainer> sandbox =
        mine.stream()
            .filter(RuntimeContainer::isSandbox)
            .max(Comparator.comparingInt(RuntimeContainer::attempt));

    List<ContainerStatusValue> init = new ArrayList<>();
    for (Container c : initContainers(pod)) {
      init.add(containerStatus(in, c, ContainerRole.INIT, mine));
    }
    List<ContainerStatusValue> app = new ArrayList<>();
    for (Container c : pod.pod().getSpec().getContainers()) {
      app.add(containerStatus(in, c, ContainerRole.APP, mine));
    }

    PodPhase phase = phase(pod.restartPolicy(), init, app);
    if (in.previous() != null && in.previous().phase().terminal()) {
      phase = in.previous().phase();
    }

    String podIp =
        pod.hostNetwork()
            ? in.hostIp()
            : sandbox.filter(RuntimeContainer::isRunning).map(RuntimeContainer::ip).orElse("");
    Optional<Instant> startTime =
        Optional.ofNullable(in.previous())
            .flatMap(PodStatusValue::startTime)
            .or(() -> mine.stream().map(RuntimeContainer::createdAt).min(Instant::compareTo));
    return new PodStatusValue(
        phase,
        "",
        "",
        conditions(in, phase, init, app),
        in.hostIp(),
        podIp.isEmpty() ? List.of() : List.of(podIp),
        QosClass.of(pod.pod().getSpec()),
        startTime,
        init,
        app);
  }

  private static List<Container> initContainers(StaticPod pod) {
    List<Container> init = pod.pod().getSpec().getInitContainers();
    return init == null ? List.of() : init;
  }

  private ContainerStatusValue containerStatus(
      Input in, Container spec, ContainerRole role, List<RuntimeContainer> mine) {
    List<RuntimeContainer> instances =
        mine.stream()
            .filter(c -> c.role() == role && c.name().equals(spec.getName()))
            .sorted(Comparator.comparingInt(RuntimeContainer::attempt).reversed())
            .toList();
    ContainerKey key = new ContainerKey(in.pod().key(), in.pod().uid(), spec.getName());
    ContainerWaiting waiting = in.waiting().get(spec.getName());
    if (instances.isEmpty()) {
      return new ContainerStatusValue(
          spec.getName(),
          spec.getImage(),
          "",
          "",
          waitingState(waiting == null ? CREATING : waiting),
          Optional.empty(),
          false,
          false,
          0);
    }
    RuntimeContainer latest = instances.get(0);
    Optional<ContainerStateValue.Terminated> previousExit =
        instances.stream()
            .skip(1)
            .filter(c -> c.finishedAt() != null)
            .findFirst()
            .map(PodStatusComputer::terminatedState);
    ContainerStateValue state;
    Optional<ContainerStateValue.Terminated> lastState = previousExit;
    boolean ready = false;
    boolean started = false;
    switch (latest.hasTerminated() ? ContainerState.EXITED : latest.state()) {
      case RUNNING -> {
        started = in.health().started(key, latest.id());
        ready = role == ContainerRole.APP && started && in.health().ready(key, latest.id());
        state = new ContainerStateValue.Running(latest.startedAt());
      }
      case EXITED -> {
        if (waiting != null) {
          state = waitingState(waiting);
          lastState = Optional.of(terminatedState(latest));
        } else {
          state = terminatedState(latest);
          // a finished init container counts as ready (kubelet: init containers are "ready" once
          // completed)
          ready = role == ContainerRole.INIT && latest.effectiveExitCode() == 0;
        }
      }
      default -> state = waitingState(waiting == null ? CREATING : waiting);
    }
    return new ContainerStatusValue(
        spec.getName(),
        spec.getImage(),
        latest.imageId().isEmpty() ? "" : DOCKER + latest.imageId(),
        DOCKER + latest.id(),
        state,
        lastState,
        ready,
        started,
        latest.attempt());
  }

  private static ContainerStateValue.Waiting waitingState(ContainerWaiting waiting) {
    return new ContainerStateValue.Waiting(waiting.reason(), waiting.message());
  }

  private static ContainerStateValue.Terminated terminatedState(RuntimeContainer c) {
    String reason =
        c.reason().isEmpty() ? (c.effectiveExitCode() == 0 ? "Completed" : "Error") : c.reason();
    return new ContainerStateValue.Terminated(
        c.effectiveExitCode(), reason, c.message(), c.startedAt(), c.finishedAt(), DOCKER + c.id());
  }

  /** The kubelet's {@code getPhase} (v1.20), extended with init containers. */
  static PodPhase phase(
      RestartPolicy restartPolicy,
      List<ContainerStatusValue> init,
      List<ContainerStatusValue> app) {
    for (ContainerStatusValue s : init) {
      if (s.succeeded()) {
        continue;
      }
      if (s.state() instanceof ContainerStateValue.Terminated
          && restartPolicy == RestartPolicy.NEVER) {
        return PodPhase.FAILED;
      }
      return PodPhase.PENDING;
    }
    int running = 0;
    int waiting = 0;
    int stopped = 0;
    int succeeded = 0;
    for (ContainerStatusValue s : app) {
      if (s.running()) {
        running++;
      } else if (s.state() instanceof ContainerStateValue.Terminated) {
        stopped++;
        if (s.succeeded()) {
          succeeded++;
        }
      } else if (s.lastState().isPresent()) {
        stopped++;
      } else {
        waiting++;
      }
    }
    if (waiting > 0) {
      return PodPhase.PENDING;
    }
    if (running > 0) {
      return PodPhase.RUNNING;
    }
    if (stopped > 0) {
      if (restartPolicy == RestartPolicy.ALWAYS) {
        return PodPhase.RUNNING;
      }
      if (stopped == succeeded) {
        return PodPhase.SUCCEEDED;
      }
      if (restartPolicy == RestartPolicy.NEVER) {
        return PodPhase.FAILED;
      }
      return PodPhase.RUNNING;
    }
    return PodPhase.PENDING;
  }

  private List<PodConditionValue> conditions(
      Input in, PodPhase phase, List<ContainerStatusValue> init, List<ContainerStatusValue> app) {
    List<String> notInitialized =
        init.stream().filter(s -> !s.succeeded()).map(ContainerStatusValue::name).toList();
    List<String> notReady =
        app.stream().filter(s -> !s.ready()).map(ContainerStatusValue::name).toList();
    boolean completed = phase == PodPhase.SUCCEEDED;

    List<PodConditionValue> out = new ArrayList<>();
    out.add(
        condition(
            in,
            PodConditionType.INITIALIZED,
            notInitialized.isEmpty(),
            notInitialized.isEmpty()
                ? (completed ? "PodCompleted" : "")
                : "ContainersNotInitialized",
            notInitialized.isEmpty()
                ? ""
                : "containers with incomplete status: " + names(notInitialized)));
    String notReadyReason = completed ? "PodCompleted" : "ContainersNotReady";
    String notReadyMessage = completed ? "" : "containers with unready status: " + names(notReady);
    boolean ready = notReady.isEmpty() && notInitialized.isEmpty();
    out.add(
        condition(
            in,
            PodConditionType.READY,
            ready,
            ready ? "" : notReadyReason,
            ready ? "" : notReadyMessage));
    out.add(
        condition(
            in,
            PodConditionType.CONTAINERS_READY,
            notReady.isEmpty(),
            notReady.isEmpty() ? "" : notReadyReason,
            notReady.isEmpty() ? "" : notReadyMessage));
    out.add(condition(in, PodConditionType.POD_SCHEDULED, true, "", ""));
    return out;
  }

  private static String names(List<String> names) {
    return "[" + String.join(" ", names) + "]";
  }

  /** A condition keeps its transition time while its status stays the same. */
  private PodConditionValue condition(
      Input in, PodConditionType type, boolean status, String reason, String message) {
    Instant transition =
        Optional.ofNullable(in.previous())
            .flatMap(p -> p.condition(type))
            .filter(p -> p.status() == status)
            .map(PodConditionValue::lastTransitionTime)
            .orElse(in.now());
    return new PodConditionValue(type, status, reason, message, transition);
  }
}
