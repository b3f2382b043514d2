package io.staticlet.docker;

import com.github.dockerjava.api.model.HostConfig;
import io.staticlet.core.runtime.ContainerSpec;

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

  static void apply(ContainerSpec.Resources resources, HostConfig hostConfig) {
    long memoryLimit = resources.memoryLimitBytes();
    long cpuLimit = resources.cpuLimitMillis();
    long cpuRequest = resources.cpuRequestMillis();
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
