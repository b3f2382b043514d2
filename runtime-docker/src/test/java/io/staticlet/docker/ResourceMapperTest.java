package io.staticlet.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.github.dockerjava.api.model.HostConfig;
import io.staticlet.core.runtime.ContainerSpec;
import org.junit.jupiter.api.Test;

class ResourceMapperTest {
  @Test
  void mapsLimitsToMemoryAndCfsQuotaAndRequestsToShares() {
    HostConfig hc = HostConfig.newHostConfig();
    ResourceMapper.apply(new ContainerSpec.Resources(128L * 1024 * 1024, 500, 250), hc);
    assertEquals(128L * 1024 * 1024, hc.getMemory());
    assertEquals(100_000L, hc.getCpuPeriod());
    assertEquals(50_000L, hc.getCpuQuota());
    assertEquals(256, hc.getCpuShares());
  }

  @Test
  void usesTheLimitWhenThereIsNoRequestAndTwoSharesWhenNeither() {
    HostConfig limitOnly = HostConfig.newHostConfig();
    ResourceMapper.apply(new ContainerSpec.Resources(0, 2000, 0), limitOnly);
    assertEquals(2048, limitOnly.getCpuShares());

    HostConfig none = HostConfig.newHostConfig();
    ResourceMapper.apply(new ContainerSpec.Resources(0, 0, 0), none);
    assertEquals(2, none.getCpuShares());
    assertNull(none.getMemory());
    assertNull(none.getCpuQuota());
  }

  @Test
  void clampsSharesAndQuota() {
    assertEquals(2, ResourceMapper.shares(1));
    assertEquals(262_144, ResourceMapper.shares(1_000_000));
    assertEquals(1_000, ResourceMapper.quota(1));
  }
}
