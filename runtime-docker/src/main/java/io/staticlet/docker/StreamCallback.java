package io.staticlet.docker;

import com.github.dockerjava.api.async.ResultCallback;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A docker-java stream callback with explicit started/finished signals and no logging of its own
 * (docker-java's template logs every broken stream at ERROR, which is normal for us: closing a
 * watch, an engine restart, an exec timeout). Subclasses handle the items.
 */
abstract class StreamCallback<T> implements ResultCallback<T> {
  private final CountDownLatch started = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile Closeable stream;
  private volatile Throwable error;
  private volatile boolean closed;

  @Override
  public void onStart(Closeable closeable) {
    stream = closeable;
    if (closed) {
      closeQuietly(closeable);
    }
    started.countDown();
  }

  @Override
  public void onError(Throwable throwable) {
    if (!closed) {
      error = throwable;
    }
    finish();
  }

  @Override
  public void onComplete() {
    finish();
  }

  /** Stops the stream; idempotent. */
  @Override
  public void close() {
    closed = true;
    Closeable s = stream;
    if (s != null) {
      closeQuietly(s);
    }
    finish();
  }

  private void finish() {
    finished.countDown();
    started.countDown(); // nobody waits for a start that cannot come any more
  }

  /**
   * True once the engine answered the request and the stream is open; false when it failed or was
   * closed first, or on timeout.
   */
  boolean awaitStarted(Duration timeout) throws InterruptedException {
    return started.await(timeout.toNanos(), TimeUnit.NANOSECONDS)
        && stream != null
        && !isFinished();
  }

  /** True when the stream ended (completed, failed or closed) within the timeout. */
  boolean awaitFinished(Duration timeout) throws InterruptedException {
    return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  boolean isFinished() {
    return finished.getCount() == 0;
  }

  /** The failure that ended the stream, or {@code null}. */
  Throwable error() {
    return error;
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException | RuntimeException ignored) {
      // already broken
    }
  }
}
