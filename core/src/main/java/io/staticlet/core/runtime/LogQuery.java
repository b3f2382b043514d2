package io.staticlet.core.runtime;

import java.time.Instant;

/**
 * Which part of a container's log to read (the engine's log of its stdout and stderr).
 *
 * @param follow keep streaming new output until the container stops or the stream is closed
 * @param timestamps prefix each line with its RFC3339Nano time and a space
 * @param since only lines at or after this time, or null for all
 * @param tailLines only the last lines, or null for all
 */
public record LogQuery(boolean follow, boolean timestamps, Instant since, Integer tailLines) {}
