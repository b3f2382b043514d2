package io.staticlet.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for observed instants with a timeout that says what did not happen. */
final class Await {
  private Await() {}

  static Instant get(CompletableFuture<Instant> future, Duration timeout, String what)
      throws TimeoutException, InterruptedException {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new TimeoutException(what + ": not within " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw new IllegalStateException(what + ": " + e.getCause(), e.getCause());
    }
  }

  /** The latest of all the instants, once every one is there. */
  static Instant latest(List<CompletableFuture<Instant>> futures, Duration timeout, String what)
      throws TimeoutException, InterruptedException {
    try {
      CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      long done = futures.stream().filter(CompletableFuture::isDone).count();
      throw new TimeoutException(
          what
              + ": only "
              + done
              + " of "
              + futures.size()
              + " within "
              + timeout.toSeconds()
              + " s");
    } catch (ExecutionException e) {
      throw new IllegalStateException(what + ": " + e.getCause(), e.getCause());
    }
    List<Instant> all = new ArrayList<>();
    for (CompletableFuture<Instant> f : futures) {
      all.add(f.join());
    }
    return all.stream().max(Instant::compareTo).orElseThrow();
  }

  static double millisBetween(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }
}
