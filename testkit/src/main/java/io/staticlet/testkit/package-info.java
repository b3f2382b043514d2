/**
 * What the end-to-end tests and the benchmark drive the product with, in one place: a private
 * control plane ({@link io.staticlet.testkit.ControlPlane}, kubectl and an API client), the agent
 * as installed ({@link io.staticlet.testkit.AgentLaunch} through {@code deploy/bin/staticlet},
 * {@link io.staticlet.testkit.AgentProcess}), pod manifests, free ports, the Docker CLI, and one
 * process runner ({@link io.staticlet.testkit.Command}). Main scope, so the bench's jar carries it.
 */
package io.staticlet.testkit;
