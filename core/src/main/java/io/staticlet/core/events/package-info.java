/**
 * Kubernetes Events about static pods, the kubelet's way ({@code Created}, {@code Started}, {@code
 * Killing}, {@code BackOff}, {@code Unhealthy}, ...): {@link
 * io.staticlet.core.events.EventRecorder} is the port the reconciler, the terminator and the probes
 * record into; it never blocks and never throws. {@link io.staticlet.core.events.EventBuffer} holds
 * events until a publisher (the mirror module, in cluster mode) takes them; {@link
 * io.staticlet.core.events.EventCorrelator} folds repeats into one Event with a count and
 * rate-limits each pod like the kubelet's spam filter.
 */
package io.staticlet.core.events;
