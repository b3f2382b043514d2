package io.staticlet.core.runtime;

/**
 * Which namespaces of a pod's containers are the host's or shared in the pod (all other namespaces
 * are the sandbox's).
 *
 * @param hostNetwork the pod uses the host's network (and UTS) namespace
 * @param hostPid the pod uses the host's PID namespace
 * @param shareProcessNamespace the containers share the sandbox's PID namespace
 */
public record PodNamespaces(boolean hostNetwork, boolean hostPid, boolean shareProcessNamespace) {}
