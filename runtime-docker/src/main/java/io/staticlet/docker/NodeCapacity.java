package io.staticlet.docker;

import java.lang.management.ManagementFactory;

/**
 * What the node offers, for {@code resourceFieldRef} on an unset limit (the kubelet substitutes
 * node allocatable).
 */
record NodeCapacity(long cpuMillis, long memoryBytes) {
  static NodeCapacity detect() {
    long cpus = Runtime.getRuntime().availableProcessors();
    long memory = Runtime.getRuntime().maxMemory();
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      memory = os.getTotalMemorySize();
    }
    return new NodeCapacity(cpus * 1000, memory);
  }
}
