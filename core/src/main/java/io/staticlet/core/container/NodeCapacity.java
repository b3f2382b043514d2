package io.staticlet.core.container;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * What the node offers, for {@code resourceFieldRef} on an unset limit (the kubelet substitutes
 * node allocatable).
 */
public record NodeCapacity(long cpuMillis, long memoryBytes) {
  /** This machine's processors and physical memory. */
  public static NodeCapacity detect() {
    long cpus = Runtime.getRuntime().availableProcessors();
    long memory = Runtime.getRuntime().maxMemory();
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      memory = os.getTotalMemorySize();
    }
    return new NodeCapacity(cpus * 1000, memory);
  }
}
