/**
 * SPDY/3.1 sessions for {@code kubectl exec}, {@code attach} and {@code port-forward}: stream
 * negotiation, the remote-command and port-forward protocols, and the copying between the client's
 * streams and the engine's process. One session per upgraded connection; frames for a session are
 * handled in order by its own serial executor.
 */
package io.staticlet.app.kubeletapi.streaming;
