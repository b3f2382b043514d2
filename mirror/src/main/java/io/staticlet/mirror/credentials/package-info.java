/**
 * The node's client credentials (docs/credentials.md): TLS bootstrap with a CSR, the {@code
 * kubelet-client-current.pem} files, and rotation before expiry. Files are written atomically; a
 * failed renewal keeps the current certificate.
 */
package io.staticlet.mirror.credentials;
