package io.staticlet.docker;

import com.github.dockerjava.api.model.HostConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * Container resources on Docker, as the kubelet computes them: memory limit in bytes, CPU limit as
 * CFS quota over a 100 ms period, CPU shares from the request ({@code milli * 1024 / 1000}, at
 * least 2; the limit stands in for a missing request).
 */
final class ResourceMapper {
  static final long CPU_PERIOD_MICROS = 100_000;
  static final long MIN_CPU_QUOTA_MICROS = 1_000;
  static final int MIN_SHARES = 2;
  static final int MAX_SHARES = 262_144;

  private ResourceMapper() {}

  static void apply(Container container, HostConfig hostConfig) {
    ResourceRequirements resources = container.getResources();
    long memoryLimit = resources == null ? 0 : Quantities.value(resources.getLimits(), "memory");
    long cpuLimit = resources == null ? 0 : Quantities.milliCpu(resources.getLimits());
    long cpuRequest = resources == null ? 0 : Quantities.milliCpu(resources.getRequests());
    if (memoryLimit > 0) {
      hostConfig.withMemory(memoryLimit);
    }
    if (cpuLimit > 0) {
      hostConfig.withCpuPeriod(CPU_PERIOD_MICROS).withCpuQuota(quota(cpuLimit));
    }
    hostConfig.withCpuShares(shares(cpuRequest == 0 ? cpuLimit : cpuRequest));
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
