/**
 * The network side of probes and lifecycle hooks, which core reaches through its {@code
 * NetworkProber} and {@code LifecycleHookRunner} ports: {@code httpGet} with the JDK's HTTP client,
 * {@code tcpSocket} with a plain socket, {@code grpc} with HTTP/2 cleartext (prior knowledge) from
 * httpcore5-h2 speaking {@code grpc.health.v1.Health/Check}. {@link io.staticlet.app.probe.Probing}
 * wires them with core's probe manager and owns the probe executor. No probe logic lives here:
 * thresholds, timing and kills are core's.
 */
package io.staticlet.app.probe;
