package io.staticlet.docker;

import java.time.Instant;

/**
 * What {@code listContainers} does not tell about a container, read with inspect (plus its
 * termination message) and cached while its list state stays the same.
 *
 * @param startedAt {@code null} if never started
 * @param finishedAt {@code null} if it has not exited
 * @param error the engine's error on the last start attempt, or ""
 * @param ip the container's IP on its network, or ""
 * @param image the image reference the container was created from
 * @param message termination message ("" unless exited)
 */
record ContainerDetails(
    Instant startedAt,
    Instant finishedAt,
    int exitCode,
    boolean oomKilled,
    String error,
    String ip,
    String image,
    String message) {}
