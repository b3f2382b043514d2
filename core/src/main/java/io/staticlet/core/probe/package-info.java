/**
 * Liveness, readiness and startup probes (the kubelet's prober and results managers). {@link
 * io.staticlet.core.probe.ProbeManager} starts one {@link io.staticlet.core.probe.ProbeWorker} per
 * probe of every running container instance, learned from the {@code PodStatusStore}; workers are
 * ticks on the shared {@code Scheduler} whose blocking I/O runs on a small bounded executor, so
 * many probed pods need no thread each. Results are kept per container instance and answer the
 * reconciler through {@link io.staticlet.core.status.ContainerHealth}; every flip enqueues the pod.
 * Exec probes run through the engine here; network probes (httpGet, tcpSocket, grpc) go through the
 * {@link io.staticlet.core.probe.NetworkProber} port, implemented in {@code app}: this package
 * knows no HTTP client and reads time only from the injected {@code Clock}.
 */
package io.staticlet.core.probe;
