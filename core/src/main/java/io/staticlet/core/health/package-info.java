/**
 * Liveness of the agent's own loops: each loop beats, {@code /healthz} fails when one stops
 * beating.
 */
package io.staticlet.core.health;
