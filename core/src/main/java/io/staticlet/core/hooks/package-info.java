/**
 * Lifecycle hooks (postStart, preStop): exec in the container or an HTTP GET, each with a deadline.
 */
package io.staticlet.core.hooks;
