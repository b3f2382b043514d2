/**
 * Time as core sees it: an injected {@link java.time.Clock} for wall time, a monotonic {@link
 * io.staticlet.core.time.Ticker} for delays (DECISIONS.md 24) and a {@link
 * io.staticlet.core.time.Scheduler} for delayed work, so tests run back-off and resync instantly.
 */
package io.staticlet.core.time;
