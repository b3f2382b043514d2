/**
 * The one work loop of the agent: {@link io.staticlet.core.queue.WorkQueue} (keys de-duplicated,
 * one in flight per key, delayed re-adds and retry holds on the monotonic ticker) and {@link
 * io.staticlet.core.queue.QueueWorkers} (N threads that take a due key, run the handler, mark it
 * done). A handler may block (every engine and API call has a deadline); one that throws is logged
 * and its key retried, and the worker goes on; only {@code close()} ends a worker.
 */
package io.staticlet.core.queue;
