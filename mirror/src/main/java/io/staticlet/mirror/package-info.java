/**
 * The API-server adapter (fabric8 kubernetes-client): registers this node's Node object and keeps
 * its status and Lease fresh, and implements core's {@link io.staticlet.core.mirror.MirrorPublisher}
 * with a pod informer (the cache the mirror loop reads) and single API calls (create, delete with a
 * UID precondition, status subresource writes). {@link io.staticlet.mirror.ClusterAgent} wires it.
 *
 * <p>Every call goes through {@link io.staticlet.mirror.ApiCalls}: a node-sized rate limit, and
 * {@code KubernetesClientException} translated once into {@link io.staticlet.mirror.ApiErrorKind}
 * (and from there into core's mirror exceptions). Callbacks from informers only enqueue or record.
 * Nothing here ever touches containers, and nothing here deletes anything on shutdown.
 */
package io.staticlet.mirror;
