package io.staticlet.e2e.cluster;

import static io.staticlet.e2e.cluster.NodeUnderTest.containerIds;
import static io.staticlet.e2e.cluster.NodeUnderTest.restarts;
import static io.staticlet.e2e.cluster.NodeUnderTest.runningAndReady;
import static io.staticlet.e2e.cluster.NodeUnderTest.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.staticlet.e2e.controlplane.ControlPlaneExtension;
import io.staticlet.testkit.ControlPlane;
import io.staticlet.testkit.DockerCli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #4 acceptance 5: the node keeps working without the API server and repairs everything when
 * it returns.
 */
@ExtendWith(ControlPlaneExtension.class)
class ApiServerOutageIT {
  @TempDir Path work;

  @Test
  void podsRunRestartAndStartDuringAnOutageAndMirrorsAreRightWithin5SecondsOfTheReturn(
      ControlPlane cp) {
    try (NodeUnderTest n = NodeUnderTest.create(cp, work)) {
      n.start();
      n.runService("web");
      within(Duration.ofSeconds(30)).until(() -> runningAndReady(n.mirror("web")));
      Set<String> before = n.runningAppContainers("web");

      cp.stopApiServer();
      try {
        DockerCli.run("kill", before.iterator().next());
        // restarted by the engine event or, at the latest, by the one-minute resync
        within(Duration.ofSeconds(90))
            .until(
                () -> {
                  Set<String> now = n.runningAppContainers("web");
                  return !now.isEmpty() && !now.equals(before);
                });
        n.runService("late");
        within(Duration.ofSeconds(30)).until(() -> !n.runningAppContainers("late").isEmpty());
        assertEquals("ok", n.agent.healthz(), "the agent stays healthy without the API server");
      } finally {
        cp.startApiServer();
      }
      long back = System.nanoTime();

      try {
        within(Duration.ofSeconds(5))
            .until(
                () ->
                    runningAndReady(n.mirror("web"))
                        && runningAndReady(n.mirror("late"))
                        && restarts(n.mirrorOrFail("web")) == 1
                        && containerIds(n.mirrorOrFail("web"))
                            .equals(n.runningAppContainers("web")));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        throw new AssertionError(
            "not repaired within 5 s: web="
                + n.mirror("web").map(NodeUnderTest::summary)
                + " running="
                + n.runningAppContainers("web")
                + "\nlate="
                + n.mirror("late").map(NodeUnderTest::summary),
            e);
      }
      System.out.printf(
          "mirrors right %d ms after the API server was back%n",
          (System.nanoTime() - back) / 1_000_000);
      // an outage longer than 40 s gets the node marked Unknown by the node lifecycle controller
      within(Duration.ofSeconds(15))
          .until(
              () ->
                  "True"
                      .equals(
                          n.kubectl(
                                  "get",
                                  "node",
                                  n.node,
                                  "-o",
                                  "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")
                              .stdout()
                              .strip()));
      Pod web = n.mirrorOrFail("web");
      assertFalse(containerIds(web).equals(before));
      assertTrue(containerIds(n.mirrorOrFail("late")).equals(n.runningAppContainers("late")));
    }
  }
}
