/**
 * The container-engine port: what core needs from Docker, in core's own types. Adapters live in
 * other modules (runtime-docker); nothing here knows docker-java.
 */
package io.staticlet.core.runtime;
