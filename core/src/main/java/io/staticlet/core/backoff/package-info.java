/**
 * The kubelet's crash-loop back-off (10 s doubling to 300 s, reset after 10 min of running), on an
 * injected clock.
 */
package io.staticlet.core.backoff;
