package io.staticlet.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.pod.PodKey;
import org.junit.jupiter.api.Test;

class DockerNamesTest {
  private static final PodKey POD = new PodKey("kube-system", "etcd-node1");
  private static final String UID = "0123456789abcdef0123456789abcdef";

  @Test
  void namesSandboxLikeDockershim() {
    assertEquals("k8s_POD_etcd-node1_kube-system_" + UID + "_0", DockerNames.sandbox(POD, UID, 0));
  }

  @Test
  void namesContainerWithRestartCount() {
    assertEquals(
        "k8s_etcd_etcd-node1_kube-system_" + UID + "_3",
        DockerNames.container("etcd", POD, UID, 3));
  }

  @Test
  void parsesWhatItBuildsWithOrWithoutLeadingSlash() {
    var parsed = DockerNames.parse("/" + DockerNames.container("etcd", POD, UID, 7)).orElseThrow();
    assertEquals("etcd", parsed.container());
    assertEquals(POD, parsed.pod());
    assertEquals(UID, parsed.uid());
    assertEquals(7, parsed.attempt());
    assertFalse(parsed.isSandbox());
    assertTrue(DockerNames.parse(DockerNames.sandbox(POD, UID, 1)).orElseThrow().isSandbox());
  }

  @Test
  void acceptsOldKubeletRandomSuffix() {
    assertEquals(
        2,
        DockerNames.parse("k8s_etcd_etcd-node1_kube-system_" + UID + "_2_a1b2c3d4")
            .orElseThrow()
            .attempt());
  }

  @Test
  void rejectsNamesThatAreNotKubeletNames() {
    assertTrue(DockerNames.parse("nginx").isEmpty());
    assertTrue(DockerNames.parse("k8s_a_b_c").isEmpty());
    assertTrue(DockerNames.parse("k8s_a_b_c_d_notanumber").isEmpty());
    assertTrue(DockerNames.parse("x8s_a_b_c_d_1").isEmpty());
    assertTrue(DockerNames.parse(null).isEmpty());
  }
}
