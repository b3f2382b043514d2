package io.staticlet.docker;

import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every engine call answers within its deadline (DECISIONS.md 26): the transport's own response
 * timeout is not applied on a unix socket, so a frozen engine (SIGSTOP) would hold a call forever.
 * The call runs on a bounded pool and the caller waits at most {@code deadline} for the response to
 * start; then it gets an I/O failure (the engine counts as not answering) and the abandoned
 * response is closed whenever it arrives. Bodies are read by the caller as before.
 */
final class DeadlineHttpClient implements DockerHttpClient {
  private final DockerHttpClient delegate;
  private final Duration deadline;
  private final ThreadPoolExecutor pool;

  DeadlineHttpClient(DockerHttpClient delegate, Duration deadline, int maxPending) {
    this.delegate = delegate;
    this.deadline = deadline;
    this.pool =
        new ThreadPoolExecutor(
            0,
            maxPending,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            DaemonThreads.named("docker-call"));
  }

  @Override
  public Response execute(Request request) {
    String what = request.method() + " " + request.path();
    CompletableFuture<Response> call;
    try {
      call = CompletableFuture.supplyAsync(() -> delegate.execute(request), pool);
    } catch (RejectedExecutionException e) {
      throw new UncheckedIOException(
          new IOException(
              what + ": " + pool.getMaximumPoolSize() + " calls already wait for the engine"));
    }
    try {
      return call.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.thenAccept(Response::close); // frees the connection if the engine ever answers
      throw new UncheckedIOException(
          new SocketTimeoutException(
              what + ": no answer from the engine within " + deadline.toSeconds() + "s"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.thenAccept(Response::close);
      throw new UncheckedIOException(new IOException(what + ": interrupted"));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new UncheckedIOException(new IOException(what + ": " + e.getCause(), e.getCause()));
    }
  }

  @Override
  public void close() throws IOException {
    pool.shutdownNow();
    delegate.close();
  }
}
