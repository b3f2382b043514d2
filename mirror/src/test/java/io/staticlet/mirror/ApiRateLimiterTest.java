package io.staticlet.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ApiRateLimiterTest {
  private final AtomicLong nanos = new AtomicLong();

  @Test
  void letsABurstThroughThenPacesAtQps() {
    ApiRateLimiter limiter = new ApiRateLimiter(20, 40, nanos::get);

    for (int i = 0; i < 40; i++) {
      assertEquals(0, limiter.reserve(), "call " + i + " is within the burst");
    }
    assertEquals(50_000_000L, limiter.reserve(), "the 41st waits one token, 50 ms at 20 qps");
    assertEquals(100_000_000L, limiter.reserve());

    nanos.addAndGet(1_000_000_000L);
    assertEquals(0, limiter.reserve(), "tokens come back with time");
  }

  @Test
  void zeroQpsMeansUnlimited() {
    ApiRateLimiter limiter = new ApiRateLimiter(0, 1, nanos::get);
    for (int i = 0; i < 1000; i++) {
      assertEquals(0, limiter.reserve());
    }
  }
}
