package io.staticlet.core.container;

import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.staticlet.core.runtime.ContainerSpec;

/**
 * Container resources as the kubelet hands them to a Linux runtime ({@code
 * generateLinuxContainerResources}): memory limit in bytes, CPU limit as CFS quota over a 100 ms
 * period, CPU shares from the request ({@code milli * 1024 / 1000}, at least 2; the limit stands in
 * for a missing request). Stateless.
 */
final class CgroupResources {
  static final long CPU_PERIOD_MICROS = 100_000;
  static final long MIN_CPU_QUOTA_MICROS = 1_000;
  static final int MIN_SHARES = 2;
  static final int MAX_SHARES = 262_144;

  private CgroupResources() {}

  static ContainerSpec.Resources of(ResourceRequirements resources) {
    long memoryLimit = resources == null ? 0 : Quantities.value(resources.getLimits(), "memory");
    long cpuLimit = resources == null ? 0 : Quantities.milliCpu(resources.getLimits());
    long cpuRequest = resources == null ? 0 : Quantities.milliCpu(resources.getRequests());
    return new ContainerSpec.Resources(
        memoryLimit,
        shares(cpuRequest == 0 ? cpuLimit : cpuRequest),
        cpuLimit > 0 ? quota(cpuLimit) : 0,
        cpuLimit > 0 ? CPU_PERIOD_MICROS : 0);
  }

  static int shares(long milliCpu) {
    if (milliCpu <= 0) {
      return MIN_SHARES;
    }
    long shares = milliCpu * 1024 / 1000;
    return (int) Math.max(MIN_SHARES, Math.min(MAX_SHARES, shares));
  }

  static long quota(long milliCpu) {
    return Math.max(MIN_CPU_QUOTA_MICROS, milliCpu * CPU_PERIOD_MICROS / 1000);
  }
}
