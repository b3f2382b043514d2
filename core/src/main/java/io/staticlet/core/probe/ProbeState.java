package io.staticlet.core.probe;

/**
 * The threshold bookkeeping of one probe of one container instance (the kubelet's {@code
 * worker.doProbe}): a verdict changes only after {@code successThreshold} consecutive successes or
 * {@code failureThreshold} consecutive failures. Readiness starts as failed, liveness as succeeded,
 * startup as unknown. A liveness or startup failure puts the probe on hold: the container is about
 * to be killed, and its successor starts with a fresh state. Pure and not thread-safe: its {@link
 * ProbeWorker} guards it.
 */
final class ProbeState {
  enum Verdict {
    UNKNOWN,
    SUCCESS,
    FAILURE
  }

  private final ProbeSpec spec;
  private Verdict verdict;
  private boolean lastSuccess;
  private int run;
  private boolean onHold;
  private String message = "";

  ProbeState(ProbeSpec spec) {
    this.spec = spec;
    this.verdict =
        switch (spec.type()) {
          case LIVENESS -> Verdict.SUCCESS;
          case READINESS -> Verdict.FAILURE;
          case STARTUP -> Verdict.UNKNOWN;
        };
  }

  /** Counts one result; true when the verdict changed. */
  boolean record(ProbeResult result) {
    if (run > 0 && result.succeeded() == lastSuccess) {
      run++;
    } else {
      lastSuccess = result.succeeded();
      run = 1;
    }
    if (!result.succeeded()) {
      message = result.message();
    }
    int needed = result.succeeded() ? spec.successThreshold() : spec.failureThreshold();
    if (run < needed) {
      return false;
    }
    Verdict next = result.succeeded() ? Verdict.SUCCESS : Verdict.FAILURE;
    boolean changed = next != verdict;
    verdict = next;
    if (next == Verdict.FAILURE && spec.type().killsOnFailure()) {
      onHold = true;
      run = 0;
    }
    return changed;
  }

  Verdict verdict() {
    return verdict;
  }

  /** Consecutive results of the same kind so far. */
  int run() {
    return run;
  }

  boolean lastSucceeded() {
    return lastSuccess;
  }

  /** No more runs: liveness/startup failed (the container will be killed) or startup succeeded. */
  boolean done() {
    return onHold || (spec.type() == ProbeType.STARTUP && verdict == Verdict.SUCCESS);
  }

  /** Why the last failure failed, or empty. */
  String message() {
    return message;
  }
}
