package io.staticlet.core.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.staticlet.core.testing.DefaultedPods;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContainerHashTest {
  @Test
  void fnv32aMatchesReferenceVectors() {
    assertEquals(0x811c9dc5, ContainerHash.fnv32a(new byte[0]));
    assertEquals(0xe40c292c, ContainerHash.fnv32a("a".getBytes(StandardCharsets.UTF_8)));
    assertEquals(0xbf9cf968, ContainerHash.fnv32a("foobar".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void hashIsStableAndFollowsTheSpec() {
    Container a = DefaultedPods.shell("c", "echo hi").build();
    Container same = DefaultedPods.shell("c", "echo hi").build();
    Container other = DefaultedPods.shell("c", "echo bye").build();
    assertEquals(ContainerHash.of(a), ContainerHash.of(same));
    assertNotEquals(ContainerHash.of(a), ContainerHash.of(other));
    assertTrue(ContainerHash.of(a).matches("[0-9a-f]{1,8}"));
  }
}
