package io.staticlet.core.status;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
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
import java.util.Objects;
import java.util.Optional;

/**
 * Computes a pod's {@code v1.PodStatus} the way the kubelet does ({@code generateAPIPodStatus},
 * {@code getPhase}; KUBELET.md §3.5) from the engine's containers of one pod incarnation. Pure: all
 * inputs are arguments, so it is tested without an engine.
 */
public final class PodStatusComputer {
  private static final String DOCKER = "docker://";

  /** Everything the computation reads. {@code previous} is the last status of the same UID, or null. */
  public record Input(
      StaticPod pod,
      List<RuntimeContainer> containers,
      Map<String, ContainerWaiting> waiting,
      PodStatus previous,
      String hostIp,
      Instant now,
      ContainerHealth health) {
    public Input {
      containers = List.copyOf(containers);
      waiting = Map.copyOf(waiting);
    }
  }

  public PodStatus compute(Input in) {
    StaticPod pod = in.pod();
    List<RuntimeContainer> mine = in.containers().stream().filter(c -> c.podUid().equals(pod.uid())).toList();
    Optional<RuntimeContainer> sandbox = mine.stream()
        .filter(RuntimeContainer::isSandbox)
        .max(Comparator.comparingInt(RuntimeContainer::attempt));

    List<ContainerStatus> init = new ArrayList<>();
    for (Container c : initContainers(pod)) {
      init.add(containerStatus(in, c, ContainerRole.INIT, mine));
    }
    List<ContainerStatus> app = new ArrayList<>();
    for (Container c : pod.pod().getSpec().getContainers()) {
      app.add(containerStatus(in, c, ContainerRole.APP, mine));
    }

    String phase = phase(pod.restartPolicy(), init, app);
    if (in.previous() != null && isTerminal(in.previous().getPhase())) {
      phase = in.previous().getPhase();
    }

    String podIp = pod.hostNetwork() ? in.hostIp() : sandbox.filter(RuntimeContainer::isRunning).map(RuntimeContainer::ip).orElse("");
    Instant startTime = mine.stream().map(RuntimeContainer::createdAt).min(Instant::compareTo).orElse(null);
    String previousStart = in.previous() == null ? null : in.previous().getStartTime();

    PodStatusBuilder b = new PodStatusBuilder()
        .withPhase(phase)
        .withConditions(conditions(in, phase, init, app))
        .withHostIP(emptyToNull(in.hostIp()))
        .withQosClass(QosClass.of(pod.pod().getSpec()))
        .withInitContainerStatuses(init)
        .withContainerStatuses(app);
    if (!in.hostIp().isEmpty()) {
      b.withHostIPs(new io.fabric8.kubernetes.api.model.HostIP(in.hostIp()));
    }
    if (!podIp.isEmpty()) {
      b.withPodIP(podIp).withPodIPs(new PodIP(podIp));
    }
    if (previousStart != null) {
      b.withStartTime(previousStart);
    } else if (startTime != null) {
      b.withStartTime(KubeTime.format(startTime));
    }
    return b.build();
  }

  private static List<Container> initContainers(StaticPod pod) {
    List<Container> init = pod.pod().getSpec().getInitContainers();
    return init == null ? List.of() : init;
  }

  private ContainerStatus containerStatus(Input in, Container spec, ContainerRole role, List<RuntimeContainer> mine) {
    List<RuntimeContainer> instances = mine.stream()
        .filter(c -> c.role() == role && c.name().equals(spec.getName()))
        .sorted(Comparator.comparingInt(RuntimeContainer::attempt).reversed())
        .toList();
    ContainerKey key = new ContainerKey(in.pod().key(), in.pod().uid(), spec.getName());
    ContainerWaiting waiting = in.waiting().get(spec.getName());
    ContainerStatusBuilder b = new ContainerStatusBuilder()
        .withName(spec.getName())
        .withImage(spec.getImage())
        .withImageID("")
        .withReady(false)
        .withStarted(false)
        .withRestartCount(0);
    if (instances.isEmpty()) {
      b.withState(waitingState(waiting == null ? new ContainerWaiting("ContainerCreating", null) : waiting));
      return b.build();
    }
    RuntimeContainer latest = instances.get(0);
    b.withRestartCount(latest.attempt())
        .withContainerID(DOCKER + latest.id())
        .withImageID(latest.imageId().isEmpty() ? "" : DOCKER + latest.imageId());
    Optional<RuntimeContainer> previousExit = instances.stream().skip(1).filter(c -> c.finishedAt() != null).findFirst();
    ContainerState state = latest.hasTerminated() ? ContainerState.EXITED : latest.state();
    switch (state) {
      case RUNNING -> {
        boolean started = in.health().started(key, latest.id());
        boolean ready = role == ContainerRole.APP && started && in.health().ready(key, latest.id());
        b.withState(new ContainerStateBuilder().withNewRunning().withStartedAt(KubeTime.format(latest.startedAt())).endRunning().build())
            .withStarted(started)
            .withReady(ready);
        previousExit.ifPresent(p -> b.withLastState(terminatedState(p)));
      }
      case EXITED -> {
        if (waiting != null) {
          b.withState(waitingState(waiting)).withLastState(terminatedState(latest));
        } else {
          b.withState(terminatedState(latest));
          previousExit.ifPresent(p -> b.withLastState(terminatedState(p)));
          // a finished init container counts as ready (kubelet: init containers are "ready" once completed)
          b.withReady(role == ContainerRole.INIT && latest.effectiveExitCode() == 0);
        }
      }
      default -> {
        b.withState(waitingState(waiting == null ? new ContainerWaiting("ContainerCreating", null) : waiting));
        previousExit.ifPresent(p -> b.withLastState(terminatedState(p)));
      }
    }
    return b.build();
  }

  private static io.fabric8.kubernetes.api.model.ContainerState waitingState(ContainerWaiting waiting) {
    return new ContainerStateBuilder()
        .withNewWaiting()
        .withReason(waiting.reason())
        .withMessage(emptyToNull(waiting.message()))
        .endWaiting()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.ContainerState terminatedState(RuntimeContainer c) {
    ContainerStateTerminated t = new ContainerStateTerminatedBuilder()
        .withExitCode(c.effectiveExitCode())
        .withReason(c.reason().isEmpty() ? (c.effectiveExitCode() == 0 ? "Completed" : "Error") : c.reason())
        .withMessage(emptyToNull(c.message()))
        .withStartedAt(KubeTime.format(c.startedAt()))
        .withFinishedAt(KubeTime.format(c.finishedAt()))
        .withContainerID(DOCKER + c.id())
        .build();
    return new ContainerStateBuilder().withTerminated(t).build();
  }

  /** The kubelet's {@code getPhase} (v1.20), extended with init containers. */
  static String phase(RestartPolicy restartPolicy, List<ContainerStatus> init, List<ContainerStatus> app) {
    for (ContainerStatus s : init) {
      ContainerStateTerminated t = s.getState().getTerminated();
      if (t != null && t.getExitCode() == 0) {
        continue;
      }
      if (t != null && restartPolicy == RestartPolicy.NEVER) {
        return "Failed";
      }
      return "Pending";
    }
    int running = 0;
    int waiting = 0;
    int stopped = 0;
    int succeeded = 0;
    for (ContainerStatus s : app) {
      io.fabric8.kubernetes.api.model.ContainerState state = s.getState();
      if (state.getRunning() != null) {
        running++;
      } else if (state.getTerminated() != null) {
        stopped++;
        if (state.getTerminated().getExitCode() == 0) {
          succeeded++;
        }
      } else if (state.getWaiting() != null) {
        if (s.getLastState() != null && s.getLastState().getTerminated() != null) {
          stopped++;
        } else {
          waiting++;
        }
      }
    }
    if (waiting > 0) {
      return "Pending";
    }
    if (running > 0) {
      return "Running";
    }
    if (stopped > 0) {
      if (restartPolicy == RestartPolicy.ALWAYS) {
        return "Running";
      }
      if (stopped == succeeded) {
        return "Succeeded";
      }
      if (restartPolicy == RestartPolicy.NEVER) {
        return "Failed";
      }
      return "Running";
    }
    return "Pending";
  }

  private static boolean isTerminal(String phase) {
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private List<PodCondition> conditions(Input in, String phase, List<ContainerStatus> init, List<ContainerStatus> app) {
    List<String> notInitialized = init.stream()
        .filter(s -> s.getState().getTerminated() == null || s.getState().getTerminated().getExitCode() != 0)
        .map(ContainerStatus::getName)
        .toList();
    List<String> notReady = app.stream().filter(s -> !Boolean.TRUE.equals(s.getReady())).map(ContainerStatus::getName).toList();
    boolean completed = "Succeeded".equals(phase);

    List<PodCondition> out = new ArrayList<>();
    out.add(condition(in, "Initialized", notInitialized.isEmpty(),
        notInitialized.isEmpty() ? (completed ? "PodCompleted" : null) : "ContainersNotInitialized",
        notInitialized.isEmpty() ? null : "containers with incomplete status: " + names(notInitialized)));
    String notReadyReason = completed ? "PodCompleted" : "ContainersNotReady";
    String notReadyMessage = completed ? null : "containers with unready status: " + names(notReady);
    boolean ready = notReady.isEmpty() && notInitialized.isEmpty();
    out.add(condition(in, "Ready", ready, ready ? null : notReadyReason, ready ? null : notReadyMessage));
    out.add(condition(in, "ContainersReady", notReady.isEmpty(), notReady.isEmpty() ? null : notReadyReason,
        notReady.isEmpty() ? null : notReadyMessage));
    out.add(condition(in, "PodScheduled", true, null, null));
    return out;
  }

  private static String names(List<String> names) {
    return "[" + String.join(" ", names) + "]";
  }

  private PodCondition condition(Input in, String type, boolean status, String reason, String message) {
    String value = status ? "True" : "False";
    String transition = KubeTime.format(in.now());
    if (in.previous() != null && in.previous().getConditions() != null) {
      for (PodCondition prev : in.previous().getConditions()) {
        if (type.equals(prev.getType()) && value.equals(prev.getStatus()) && prev.getLastTransitionTime() != null) {
          transition = prev.getLastTransitionTime();
        }
      }
    }
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(value)
        .withReason(reason)
        .withMessage(message)
        .withLastProbeTime(null)
        .withLastTransitionTime(transition)
        .build();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  static boolean sameInstance(RuntimeContainer a, RuntimeContainer b) {
    return Objects.equals(a.id(), b.id());
  }
}
