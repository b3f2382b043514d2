/**
 * The plain HTTP endpoints (JDK {@code HttpServer}): {@code /healthz} on the healthz port and
 * {@code /pods} (a v1 PodList rendered from core's status values) on the read-only port.
 */
package io.staticlet.app.http;
