/**
 * Mirror pods: the read-only copies of static pods in the API server. {@link
 * io.staticlet.core.mirror.MirrorPublisher} is the port an adapter implements (it talks to the API
 * server and keeps an informer cache); {@link io.staticlet.core.mirror.MirrorSync} is the second,
 * smaller loop that keeps every mirror equal to what {@link
 * io.staticlet.core.status.PodStatusStore} says runs. The pod reconcile loop never calls into this
 * package and never waits on it. No HTTP, no Kubernetes client types here.
 */
package io.staticlet.core.mirror;
