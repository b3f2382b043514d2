package io.staticlet.core.reconcile;

import io.staticlet.core.backoff.RestartBackoff;
import io.staticlet.core.events.KubeletEvents;
import io.staticlet.core.pod.ContainerKey;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.reconcile.RuntimeAction.CountCrashRestart;
import io.staticlet.core.reconcile.RuntimeAction.CreateSandbox;
import io.staticlet.core.reconcile.RuntimeAction.KillPod;
import io.staticlet.core.reconcile.RuntimeAction.RemoveDead;
import io.staticlet.core.reconcile.RuntimeAction.ReportBackOff;
import io.staticlet.core.reconcile.RuntimeAction.ReportSandboxChanged;
import io.staticlet.core.reconcile.RuntimeAction.StartContainer;
import io.staticlet.core.reconcile.RuntimeAction.StartCreated;
import io.staticlet.core.reconcile.RuntimeAction.StopContainer;
import io.staticlet.core.reconcile.RuntimeAction.StopContainers;
import io.staticlet.core.reconcile.RuntimeAction.WaitBackoff;
import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.runtime.RuntimeContainer;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performs a {@link PodActions} plan against the engine, action by action in order, and reports
 * what came of it ({@link PassReport}). A start that fails is recorded and the plan goes on; a
 * sandbox that could not be created ends it (nothing can join it). Engine outages ({@code
 * RuntimeUnavailableException}) propagate: the pass is retried as a whole, and a level-triggered
 * plan repeats only what is still missing. Called on a reconcile worker thread, one pass per pod at
 * a time; blocks on the engine, hooks and stops.
 */
final class PlanExecutor {
  private static final Logger log = LoggerFactory.getLogger(PlanExecutor.class);

  private final ContainerRuntime runtime;
  private final PodTerminator terminator;
  private final RestartBackoff<ContainerKey> crashBackoff;
  private final StartFailures startFailures;
  private final KubeletEvents events;
  private final SandboxStarter sandboxes;
  private final ContainerStarter containers;

  /** Builds its terminator and starters from the reconciler's collaborators. */
  PlanExecutor(ReconcilerCollaborators c) {
    this.runtime = c.runtime();
    this.terminator =
        new PodTerminator(runtime, c.clock(), c.stopExecutor(), c.hooks(), c.events());
    this.crashBackoff = c.crashBackoff();
    this.startFailures = c.startFailures();
    this.events = c.events();
    this.sandboxes = new SandboxStarter(runtime, startFailures, events);
    this.containers =
        new ContainerStarter(runtime, c.launches(), startFailures, c.hooks(), terminator, events);
  }

  /**
   * @param pod the desired pod; null only for a plan that merely kills (intent REMOVE)
   */
  PassReport execute(PodKey key, StaticPod pod, PodActions plan) {
    PassTally tally = new PassTally(plan.sandbox());
    for (RuntimeAction action : plan.actions()) {
      if (!perform(key, pod, action, tally)) {
        break;
      }
    }
    return tally.report();
  }

  /** Returns false when the rest of the plan cannot be performed. */
  private boolean perform(PodKey key, StaticPod pod, RuntimeAction action, PassTally tally) {
    if (action instanceof KillPod kill) {
      killPod(key, kill);
    } else if (action instanceof StopContainers stop) {
      terminator.stopAll(stop.containers(), stop.why().text());
      if (stop.why().relistsStatus()) {
        tally.changed();
      }
    } else if (action instanceof StopContainer stop) {
      RuntimeContainer c = stop.container();
      log.info(
          "killing unhealthy container pod={} container={} reason={}",
          c.pod(),
          c.name(),
          stop.reason());
      terminator.stopContainer(c, stop.podIp(), stop.grace(), stop.reason(), stop.killingMessage());
      tally.changed();
    } else if (action instanceof ReportSandboxChanged) {
      events.sandboxChanged(pod.key(), pod.uid());
    } else if (action instanceof CreateSandbox create) {
      Optional<RuntimeContainer> created = sandboxes.create(pod, create, tally);
      if (created.isEmpty()) {
        return false;
      }
      tally.sandbox(created.get());
    } else if (action instanceof StartContainer start) {
      containers.start(pod, start, tally);
    } else if (action instanceof StartCreated start) {
      containers.startCreated(pod, start, tally);
    } else if (action instanceof CountCrashRestart restart) {
      crashBackoff.recordRetry(new ContainerKey(pod.key(), pod.uid(), restart.container()));
      log.info(
          "restarting container pod={} container={} exitCode={} restartCount={}",
          pod.key(),
          restart.container(),
          restart.exitCode(),
          restart.restartCount());
    } else if (action instanceof WaitBackoff wait) {
      tally.waiting(wait.waiting());
      tally.retryAfter(wait.remaining(), wait.reason());
    } else if (action instanceof ReportBackOff backOff) {
      events.backOff(pod.key(), pod.uid(), backOff.role(), backOff.container());
    } else if (action instanceof RemoveDead dead) {
      dead.containerIds().forEach(runtime::remove);
      log.debug("removed dead containers pod={} count={}", key, dead.containerIds().size());
    }
    return true;
  }

  /** Stops and removes the incarnations, then what the node and the back-offs keep for them. */
  private void killPod(PodKey key, KillPod kill) {
    terminator.stopAndRemoveAll(kill.containers(), kill.reason());
    Set<String> uids = new LinkedHashSet<>();
    kill.containers().forEach(c -> uids.add(c.podUid()));
    for (String uid : uids) {
      runtime.removePodResources(key, uid);
      startFailures.forgetPod(uid);
      crashBackoff.forgetIf(k -> k.podUid().equals(uid));
      log.info("pod incarnation stopped pod={} uid={} reason={}", key, uid, kill.reason());
    }
  }
}
