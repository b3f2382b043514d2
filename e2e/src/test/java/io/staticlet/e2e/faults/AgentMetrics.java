package io.staticlet.e2e.faults;

import io.staticlet.testkit.AgentProcess;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Figures read from the agent's {@code /metrics}, as an operator's Prometheus would. */
final class AgentMetrics {
  private AgentMetrics() {}

  /** Sum of {@code jvm_memory_used_bytes{area="heap",...}} over the heap pools. */
  static long heapUsed(AgentProcess agent) {
    long sum = 0;
    for (String line : agent.metrics().lines().toList()) {
      if (line.startsWith("jvm_memory_used_bytes{area=\"heap\"")) {
        sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** The value of a metric without labels, or -1 when absent. */
  static double value(AgentProcess agent, String name) {
    for (String line : agent.metrics().lines().toList()) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    return -1;
  }

  /** Samples the heap every 100 ms in the background until closed, keeping the maximum. */
  static final class HeapSampler implements AutoCloseable {
    private final AtomicLong max = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    HeapSampler(AgentProcess agent) {
      executor.scheduleWithFixedDelay(
          () -> {
            if (agent.isAlive()) {
              max.accumulateAndGet(heapUsed(agent), Math::max);
              samples.incrementAndGet();
            }
          },
          0,
          100,
          TimeUnit.MILLISECONDS);
    }

    long maxBytes() {
      return max.get();
    }

    long samples() {
      return samples.get();
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
