package io.staticlet.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PullPolicyTest {
  @Test
  void defaultPullPolicyIsAlwaysForLatest() {
    assertEquals(PullPolicy.ALWAYS, PullPolicy.of("", "busybox"));
    assertEquals(PullPolicy.ALWAYS, PullPolicy.of(null, "busybox:latest"));
    assertEquals(PullPolicy.ALWAYS, PullPolicy.of("", "localhost:5000/busybox"));
    assertEquals(PullPolicy.IF_NOT_PRESENT, PullPolicy.of("", "busybox:1.36"));
    assertEquals(PullPolicy.IF_NOT_PRESENT, PullPolicy.of("", "busybox@sha256:abc"));
  }

  @Test
  void readsTheManifestsValueAndRefusesOthers() {
    assertEquals(PullPolicy.NEVER, PullPolicy.of("Never", "busybox"));
    assertEquals(PullPolicy.ALWAYS, PullPolicy.of("Always", "busybox:1.36"));
    assertEquals(PullPolicy.IF_NOT_PRESENT, PullPolicy.of("IfNotPresent", "busybox"));
    var e = assertThrows(ImagePullException.class, () -> PullPolicy.of("Sometimes", "busybox"));
    assertEquals("unknown imagePullPolicy \"Sometimes\" for image busybox", e.getMessage());
  }
}
