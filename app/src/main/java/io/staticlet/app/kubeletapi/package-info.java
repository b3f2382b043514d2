/**
 * The kubelet API on :10250 (docs/kubelet-api.md): a Netty HTTPS server with x509/token
 * authentication and SubjectAccessReview authorization, serving {@code /pods}, {@code /healthz},
 * {@code /configz}, {@code /metrics/resource}, {@code /containerLogs}, and handing exec, attach and
 * port-forward to {@link io.staticlet.app.kubeletapi.streaming}. Netty's event loop only reads and
 * writes; authentication, authorization and every route run on the router's worker executor, where
 * they may block on the engine or the API server.
 */
package io.staticlet.app.kubeletapi;
