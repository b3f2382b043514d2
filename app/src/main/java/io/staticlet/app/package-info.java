/**
 * The agent process: {@link io.staticlet.app.StaticletMain} parses the command line, {@link
 * io.staticlet.app.Agent} wires core's loops to the Docker adapter, the HTTP endpoints and — with a
 * kubeconfig — the cluster side, and owns their start and stop. Nothing here decides what a pod
 * should be; that is core's job.
 */
package io.staticlet.app;
