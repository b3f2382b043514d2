package io.staticlet.core.runtime;

import io.staticlet.core.pod.PodKey;

/**
 * The engine reports that a managed container of {@code pod} changed (created, started, died,
 * destroyed...).
 */
public record RuntimeEvent(PodKey pod, String containerId, String action) {}
