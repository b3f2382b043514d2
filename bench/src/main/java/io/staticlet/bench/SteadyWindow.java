package io.staticlet.bench;

import io.staticlet.testkit.AgentProcess;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * One steady-state measurement window over the agent process (B5, B7): its CPU from {@code
 * /proc/<pid>/stat}, RSS and PSS every second, heap and non-heap from {@code /metrics} every 15 s,
 * and how busy the machine was meanwhile.
 */
record SteadyWindow(
    Instant start,
    Instant stop,
    long ticksPerSecond,
    double seconds,
    double cpuPercent,
    double machineBusyPercent,
    Footprint footprint,
    String metricsBefore,
    String metricsAfter) {

  static SteadyWindow measure(AgentProcess agent, Duration window)
      throws InterruptedException, IOException {
    long pid = agent.pid();
    long ticksPerSecond = ProcStats.clockTicksPerSecond();
    Footprint footprint = new Footprint();
    String metricsBefore = agent.metrics();
    footprint.sampleMetrics(metricsBefore);
    ProcStats.CpuTimes machineBefore = ProcStats.machineCpu();
    long ticksBefore = ProcStats.cpuTicks(pid);
    Instant start = Instant.now();
    Instant end = start.plus(window);
    for (int second = 1; Instant.now().isBefore(end); second++) {
      footprint.sampleProc(pid);
      Thread.sleep(Math.min(1000, Math.max(1, Duration.between(Instant.now(), end).toMillis())));
      if (second % 15 == 0) {
        footprint.sampleMetrics(agent.metrics());
      }
    }
    long ticksAfter = ProcStats.cpuTicks(pid);
    Instant stop = Instant.now();
    ProcStats.CpuTimes machineAfter = ProcStats.machineCpu();
    footprint.sampleProc(pid);
    String metricsAfter = agent.metrics();
    footprint.sampleMetrics(metricsAfter);
    double seconds = Duration.between(start, stop).toNanos() / 1e9;
    return new SteadyWindow(
        start,
        stop,
        ticksPerSecond,
        seconds,
        100.0 * (ticksAfter - ticksBefore) / ticksPerSecond / seconds,
        machineAfter.busyPercentSince(machineBefore),
        footprint,
        metricsBefore,
        metricsAfter);
  }
}
