package io.staticlet.docker;

import com.github.dockerjava.api.DockerClient;
import io.staticlet.core.runtime.RuntimeUnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code docker stop} with the deadline DECISIONS.md 26 gives it: the grace period plus {@link
 * #MARGIN}. The engine holds the response until the container has stopped, so the call goes through
 * a client of its own without a read timeout (the command client's short timeout would cut a long
 * grace period and the retry would run preStop again) and is abandoned at the deadline with {@link
 * RuntimeUnavailableException}. At most {@link #MAX_PENDING} stops wait on the engine at once;
 * beyond that the engine counts as not answering.
 */
final class StopWithDeadline implements AutoCloseable {
  /** Time for the engine itself beyond the grace period (SIGKILL, reaping, the answer). */
  static final Duration MARGIN = Duration.ofSeconds(15);

  static final int MAX_PENDING = 32;

  private final DockerClient client;
  private final ThreadPoolExecutor pool;

  StopWithDeadline(DockerClient client) {
    this.client = client;
    this.pool =
        new ThreadPoolExecutor(
            0,
            MAX_PENDING,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            DaemonThreads.named("docker-stop"));
  }

  /**
   * Stops with {@code seconds} of grace; throws what the engine said, or unavailable at the
   * deadline.
   */
  void stop(String containerId, int seconds) {
    Future<?> call;
    try {
      call = pool.submit(() -> client.stopContainerCmd(containerId).withTimeout(seconds).exec());
    } catch (RejectedExecutionException e) {
      throw new RuntimeUnavailableException(
          "stop container "
              + containerId
              + ": "
              + MAX_PENDING
              + " stops already wait for the engine");
    }
    Duration deadline = Duration.ofSeconds(seconds).plus(MARGIN);
    try {
      call.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new RuntimeUnavailableException(
          "stop container " + containerId + ": no answer within " + deadline.toSeconds() + "s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeUnavailableException("stop container " + containerId + ": interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new RuntimeUnavailableException(
          "stop container " + containerId + ": " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void close() throws IOException {
    pool.shutdownNow();
    client.close();
  }
}
