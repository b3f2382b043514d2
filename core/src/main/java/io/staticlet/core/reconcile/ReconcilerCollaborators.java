package io.staticlet.core.reconcile;

import io.staticlet.core.backoff.RestartBackoff;
import io.staticlet.core.container.ContainerLaunches;
import io.staticlet.core.events.KubeletEvents;
import io.staticlet.core.hooks.ExecHookRunner;
import io.staticlet.core.hooks.LifecycleHookRunner;
import io.staticlet.core.pod.ContainerKey;
import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.status.ContainerHealth;
import io.staticlet.core.status.PodStatusStore;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What a {@link Reconciler} works with. Start from {@link #of} (the five every reconciler needs,
 * the rest at their defaults) and replace what differs with the {@code with…} methods; built once
 * at wiring time on the thread that wires.
 *
 * @param desired which pods should run
 * @param runtime the engine
 * @param launches resolves a manifest's container into what the engine creates (on this node's root
 *     directory)
 * @param statusStore where computed statuses go
 * @param clock wall clock (and, through {@code Ticker.of}, the monotonic one)
 * @param crashBackoff CrashLoopBackOff per container (default: the kubelet's 10 s doubling to 300
 *     s)
 * @param startFailures failed pulls and refused creates (default: the same back-off)
 * @param health probe verdicts (default: everything running is started and ready)
 * @param hooks runs postStart and preStop (default: exec hooks through the engine)
 * @param events where the kubelet's pod events go (default: nowhere)
 * @param stopExecutor runs the stops of one pod's containers in parallel (default: the calling
 *     thread)
 * @param settings tunables (default: {@link ReconcilerSettings#defaults()})
 */
public record ReconcilerCollaborators(
    DesiredPods desired,
    ContainerRuntime runtime,
    ContainerLaunches launches,
    PodStatusStore statusStore,
    Clock clock,
    RestartBackoff<ContainerKey> crashBackoff,
    StartFailures startFailures,
    ContainerHealth health,
    LifecycleHookRunner hooks,
    KubeletEvents events,
    Executor stopExecutor,
    ReconcilerSettings settings) {
  public ReconcilerCollaborators {
    Objects.requireNonNull(desired, "desired");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(launches, "launches");
    Objects.requireNonNull(statusStore, "statusStore");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(crashBackoff, "crashBackoff");
    Objects.requireNonNull(startFailures, "startFailures");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(hooks, "hooks");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(stopExecutor, "stopExecutor");
    Objects.requireNonNull(settings, "settings");
  }

  public static ReconcilerCollaborators of(
      DesiredPods desired,
      ContainerRuntime runtime,
      ContainerLaunches launches,
      PodStatusStore statusStore,
      Clock clock) {
    return new ReconcilerCollaborators(
        desired,
        runtime,
        launches,
        statusStore,
        clock,
        RestartBackoff.kubeletDefaults(clock),
        new StartFailures(clock, RestartBackoff.kubeletDefaults(clock)),
        ContainerHealth.ALWAYS_READY,
        new ExecHookRunner(runtime),
        KubeletEvents.none(clock),
        Runnable::run,
        ReconcilerSettings.defaults());
  }

  public ReconcilerCollaborators withBackoffs(
      RestartBackoff<ContainerKey> crashBackoff, StartFailures startFailures) {
    return new ReconcilerCollaborators(
        desired,
        runtime,
        launches,
        statusStore,
        clock,
        crashBackoff,
        startFailures,
        health,
        hooks,
        events,
        stopExecutor,
        settings);
  }

  public ReconcilerCollaborators withHealth(ContainerHealth health) {
    return new ReconcilerCollaborators(
        desired,
        runtime,
        launches,
        statusStore,
        clock,
        crashBackoff,
        startFailures,
        health,
        hooks,
        events,
        stopExecutor,
        settings);
  }

  public ReconcilerCollaborators withHooks(LifecycleHookRunner hooks) {
    return new ReconcilerCollaborators(
        desired,
        runtime,
        launches,
        statusStore,
        clock,
        crashBackoff,
        startFailures,
        health,
        hooks,
        events,
        stopExecutor,
        settings);
  }

  public ReconcilerCollaborators withEvents(KubeletEvents events) {
    return new ReconcilerCollaborators(
        desired,
        runtime,
        launches,
        statusStore,
        clock,
        crashBackoff,
        startFailures,
        health,
        hooks,
        events,
        stopExecutor,
        settings);
  }

  public ReconcilerCollaborators withStopExecutor(Executor stopExecutor) {
    return new ReconcilerCollaborators(
        desired,
        runtime,
        launches,
        statusStore,
        clock,
        crashBackoff,
        startFailures,
        health,
        hooks,
        events,
        stopExecutor,
        settings);
  }

  public ReconcilerCollaborators withSettings(ReconcilerSettings settings) {
    return new ReconcilerCollaborators(
        desired,
        runtime,
        launches,
        statusStore,
        clock,
        crashBackoff,
        startFailures,
        health,
        hooks,
        events,
        stopExecutor,
        settings);
  }
}
