package io.staticlet.core.time;

import java.time.Duration;

/**
 * Runs tasks later. Implemented by {@link ThreadPoolScheduler}; tests use {@code ManualScheduler}.
 *
 * <p>Concurrency contract.
 *
 * <ul>
 *   <li>Threads: tasks run on the scheduler's own threads, never on the caller's; two tasks may run
 *       at the same time (the agent's scheduler has two threads), a periodic task never overlaps
 *       itself (a run that is late starts late, it is not doubled).
 *   <li>Blocking: tasks on the <em>agent's</em> scheduler (manifest re-lists and debounce, probe
 *       ticks, the engine ping and orphan sweep triggers, settle delays, the kubelet API's bind
 *       retries, the mirror loop's resync) must be short and must never block on the container
 *       engine, the API server or a client: such work is handed to an executor of its own (probe
 *       I/O, the engine ping and the orphan sweep each have one) or to a {@code QueueWorkers}'
 *       queue. Reading local files (a manifest re-list, the serving certificate) is the most a task
 *       there may do. A scheduler that one loop owns alone may run that loop's blocking steps, and
 *       its owner says so: the cluster loops' scheduler (one API call per task) and the credential
 *       loop's (CSR waits); such a scheduler is never shared.
 *   <li>Callers: {@link #schedule}, {@link #scheduleAtFixedRate} and {@link Cancellable#cancel} may
 *       be called from any thread, never block, and do nothing once the scheduler is closed.
 *       Cancelling does not interrupt a run in progress; it prevents the next ones.
 *   <li>Failures: a task that throws is logged and keeps its schedule.
 *   <li>Time: delays are monotonic; a wall-clock step moves no timer.
 * </ul>
 */
public interface Scheduler {
  /** Runs {@code task} once after {@code delay}; the returned handle cancels it. */
  Cancellable schedule(Duration delay, Runnable task);

  /** Runs {@code task} every {@code period}, first after {@code period}. */
  Cancellable scheduleAtFixedRate(Duration period, Runnable task);

  /** A scheduled task that can be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }
}
