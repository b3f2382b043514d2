/**
 * The kubelet's runtime-independent container semantics, applied in core so that every runtime
 * adapter only maps values: environment and downward API, {@code $(VAR)} expansion, what backs each
 * volume mount on the host, termination-message files, security-context merge and the spec hash.
 * {@link io.staticlet.core.container.ContainerLaunches} turns a manifest's container into the
 * {@link io.staticlet.core.runtime.ContainerLaunch} the runtime creates.
 */
package io.staticlet.core.container;
