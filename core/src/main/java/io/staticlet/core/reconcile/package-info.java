/**
 * The pod reconcile loop: per pod key, {@link io.staticlet.core.reconcile.Reconciler} lists the
 * engine's containers, the pure {@link io.staticlet.core.reconcile.PodPlanner} turns desired pod,
 * observed instances and back-off state into {@link io.staticlet.core.reconcile.PodActions} (a list
 * of {@link io.staticlet.core.reconcile.RuntimeAction} values), {@link
 * io.staticlet.core.reconcile.PlanExecutor} performs them against the {@code ContainerRuntime} port
 * and the status is computed and stored. Knows no Docker and no API server; time only through an
 * injected {@code Clock}.
 */
package io.staticlet.core.reconcile;
