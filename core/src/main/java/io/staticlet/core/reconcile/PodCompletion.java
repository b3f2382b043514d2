package io.staticlet.core.reconcile;

import io.fabric8.kubernetes.api.model.Container;
import io.staticlet.core.pod.RestartPolicy;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.RuntimeContainer;
import java.util.List;
import java.util.Optional;

/**
 * Whether a pod incarnation reached Succeeded or Failed: no app container runs and none will be
 * restarted (for {@code Never}, a failed init container also ends it). Its sandbox is then stopped
 * and never re-created. Pure; any thread.
 */
final class PodCompletion {
  private PodCompletion() {}

  static boolean finished(StaticPod pod, PodInstances instances) {
    RestartPolicy policy = pod.restartPolicy();
    if (policy == RestartPolicy.ALWAYS || instances.sandbox().isEmpty()) {
      return false;
    }
    if (policy == RestartPolicy.NEVER) {
      for (Container spec : initContainers(pod)) {
        Optional<RuntimeContainer> inst = instances.latest(ContainerRole.INIT, spec.getName());
        if (inst.isPresent() && PodInstances.failed(inst.get())) {
          return true;
        }
      }
    }
    for (Container spec : pod.pod().getSpec().getContainers()) {
      Optional<RuntimeContainer> inst = instances.latest(ContainerRole.APP, spec.getName());
      if (inst.isEmpty()
          || !inst.get().hasTerminated()
          || policy.restartsAfter(inst.get().effectiveExitCode())) {
        return false;
      }
    }
    return true;
  }

  static List<Container> initContainers(StaticPod pod) {
    List<Container> init = pod.pod().getSpec().getInitContainers();
    return init == null ? List.of() : init;
  }
}
