/** Prometheus metrics on {@code /metrics}: the agent's own meters and the pod-status gauges. */
package io.staticlet.app.metrics;
