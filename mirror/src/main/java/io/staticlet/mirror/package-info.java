/**
 * The API-server adapter (fabric8 kubernetes-client): registers this node's Node object and keeps
 * its status and Lease fresh, and implements core's {@link
 * io.staticlet.core.mirror.MirrorPublisher} with a pod informer (the cache the mirror loop reads)
 * and single API calls (create, delete with a UID precondition, status subresource writes). The app
 * builds one {@link io.staticlet.mirror.ClusterWiring} and hands it to the one constructor of
 * {@link io.staticlet.mirror.ClusterAgent}, which runs the credential loop and, per API client, one
 * set of {@link io.staticlet.mirror.ClusterLoops}; the threads each part runs on are in their class
 * comments.
 *
 * <p>Every call goes through {@link io.staticlet.mirror.ApiCalls}: a node-sized rate limit, and
 * {@code KubernetesClientException} translated once into {@link io.staticlet.mirror.ApiErrorKind}
 * (and from there into core's mirror exceptions). Callbacks from informers only enqueue or record.
 * Nothing here ever touches containers, and nothing here deletes anything on shutdown.
 */
package io.staticlet.mirror;
