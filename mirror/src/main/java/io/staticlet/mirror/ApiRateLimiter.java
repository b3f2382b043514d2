package io.staticlet.mirror;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * client-go's token bucket for one client: {@code qps} tokens per second, at most {@code burst}
 * saved up. A caller that finds the bucket empty waits for its token (outside the lock), so 100
 * pods starting at once are published at a pace the API server is happy with. Thread-safe.
 */
final class ApiRateLimiter {
  private final double qps;
  private final double burst;
  private final LongSupplier nanoTime;
  private double tokens; // guarded by this; negative when callers are waiting for future tokens
  private long last; // guarded by this

  ApiRateLimiter(double qps, int burst, LongSupplier nanoTime) {
    this.qps = qps;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.last = nanoTime.getAsLong();
  }

  static ApiRateLimiter unlimited() {
    return new ApiRateLimiter(0, 1, System::nanoTime);
  }

  /** Takes a token; returns how many nanoseconds the caller must wait before using it. */
  synchronized long reserve() {
    if (qps <= 0) {
      return 0;
    }
    long now = nanoTime.getAsLong();
    tokens = Math.min(burst, tokens + (now - last) * qps / 1e9);
    last = now;
    tokens -= 1;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / qps * 1e9);
  }

  /** Takes a token, waiting for it if the bucket is empty. */
  void acquire() throws InterruptedException {
    long wait = reserve();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}
