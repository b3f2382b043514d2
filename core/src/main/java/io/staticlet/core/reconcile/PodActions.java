package io.staticlet.core.reconcile;

import io.staticlet.core.runtime.RuntimeContainer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The plan of one pass over one pod (the kubelet's {@code podActions}): what the pass is for, the
 * running sandbox new containers join (empty when the plan creates one or starts nothing), and the
 * actions in order. A value; built and read on a reconcile worker thread.
 *
 * @param intent {@link Intent#RUN} for a desired pod, {@link Intent#REMOVE} for one without a
 *     manifest, {@link Intent#WAIT_FOR_MANIFESTS} before the manifest path was listed once
 * @param sandbox the running sandbox the plan's {@link RuntimeAction.StartContainer}s join, unless
 *     a {@link RuntimeAction.CreateSandbox} comes first
 */
public record PodActions(
    Intent intent, Optional<RuntimeContainer> sandbox, List<RuntimeAction> actions) {
  /** What a pass does with the pod as a whole. */
  public enum Intent {
    /** Converge the desired pod and record its status. */
    RUN,
    /** The pod has no manifest: kill what is left and forget its status. */
    REMOVE,
    /** Nothing is known yet (DECISIONS.md 10): touch nothing, look again later. */
    WAIT_FOR_MANIFESTS
  }

  public PodActions {
    Objects.requireNonNull(intent, "intent");
    Objects.requireNonNull(sandbox, "sandbox");
    actions = List.copyOf(actions);
  }

  static PodActions waitForManifests() {
    return new PodActions(Intent.WAIT_FOR_MANIFESTS, Optional.empty(), List.of());
  }

  /** True when the plan asks nothing of the engine (an adopted or converged pod). */
  public boolean isEmpty() {
    return actions.isEmpty();
  }
}
