/**
 * The Docker adapter of the {@link io.staticlet.core.runtime.ContainerRuntime} port: runs static
 * pods the way the kubelet's dockershim did (sandbox "pause" container, {@code k8s_} names, {@code
 * io.kubernetes.*} labels) through docker-java. Everything engine-specific stays here: the label
 * scheme, spec-to-{@code CreateContainerCmd} mapping, docker-java error translation and the event
 * stream. Nothing here decides <em>what</em> should run; that is core's reconciler.
 */
package io.staticlet.docker;
