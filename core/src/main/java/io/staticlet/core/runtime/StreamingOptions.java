package io.staticlet.core.runtime;

/**
 * Which standard streams an interactive exec or attach connects, and whether it gets a terminal
 * (with a terminal the engine merges stderr into stdout, as {@code docker exec -t} does).
 */
public record StreamingOptions(boolean stdin, boolean stdout, boolean stderr, boolean tty) {}
