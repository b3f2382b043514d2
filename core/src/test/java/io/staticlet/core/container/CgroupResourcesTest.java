package io.staticlet.core.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.staticlet.core.runtime.ContainerSpec;
import org.junit.jupiter.api.Test;

class CgroupResourcesTest {
  @Test
  void mapsLimitsToMemoryAndCfsQuotaAndRequestsToShares() {
    ContainerSpec.Resources r =
        CgroupResources.of(
            new ResourceRequirementsBuilder()
                .addToLimits("memory", new Quantity("128Mi"))
                .addToLimits("cpu", new Quantity("500m"))
                .addToRequests("cpu", new Quantity("250m"))
                .build());
    assertEquals(new ContainerSpec.Resources(128L * 1024 * 1024, 256, 50_000, 100_000), r);
  }

  @Test
  void usesTheLimitWhenThereIsNoRequestAndTwoSharesWhenNeither() {
    ContainerSpec.Resources limitOnly =
        CgroupResources.of(
            new ResourceRequirementsBuilder().addToLimits("cpu", new Quantity("2")).build());
    assertEquals(2048, limitOnly.cpuShares());

    assertEquals(new ContainerSpec.Resources(0, 2, 0, 0), CgroupResources.of(null));
    assertEquals(
        new ContainerSpec.Resources(0, 2, 0, 0),
        CgroupResources.of(new ResourceRequirementsBuilder().build()));
  }

  @Test
  void clampsSharesAndQuota() {
    assertEquals(2, CgroupResources.shares(1));
    assertEquals(262_144, CgroupResources.shares(1_000_000));
    assertEquals(1_000, CgroupResources.quota(1));
  }
}
