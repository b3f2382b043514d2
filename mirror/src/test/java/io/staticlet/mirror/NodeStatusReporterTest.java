package io.staticlet.mirror;

import static io.staticlet.mirror.MockApi.NODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.staticlet.core.testing.ManualClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = NodeLikeClient.class)
class NodeStatusReporterTest {
  KubernetesMockServer server;
  KubernetesClient client;

  private final ManualClock clock = new ManualClock();
  private final NodeState state = new NodeState(NODE);
  private String runtimeVersion = "20.10.24";
  private NodeStatusReporter reporter;

  @BeforeEach
  void setUp() {
    state.observed(MockApi.createNode(client, NODE).getMetadata().getUid());
    NodeFactory factory =
        new NodeFactory(MockApi.settings(), NodeFactoryTest.HOST, () -> runtimeVersion, clock);
    reporter =
        new NodeStatusReporter(
            client,
            new ApiCalls(ApiRateLimiter.unlimited(), new ApiHealth(clock)),
            factory,
            state,
            MockApi.settings(),
            clock);
  }

  private Optional<NodeCondition> condition(String type) {
    Node node = client.nodes().withName(NODE).get();
    return node.getStatus() == null
        ? Optional.empty()
        : node.getStatus().getConditions().stream()
            .filter(c -> c.getType().equals(type))
            .findFirst();
  }

  private void tickEvery10SecondsFor(Duration total) {
    for (long s = 0; s < total.toSeconds(); s += 10) {
      clock.advance(Duration.ofSeconds(10));
      reporter.tick();
    }
  }

  @Test
  void writesStatusOnlyWhenItChangesOrEveryFiveMinutes() {
    reporter.tick();
    assertEquals(1, reporter.writes());
    String firstHeartbeat = condition("Ready").orElseThrow().getLastHeartbeatTime();

    tickEvery10SecondsFor(Duration.ofSeconds(290));
    assertEquals(1, reporter.writes(), "a heartbeat time alone is not a change");
    assertEquals(firstHeartbeat, condition("Ready").orElseThrow().getLastHeartbeatTime());

    tickEvery10SecondsFor(Duration.ofSeconds(10));
    assertEquals(2, reporter.writes(), "unchanged status is reported every 5 minutes");

    runtimeVersion = "24.0.7";
    tickEvery10SecondsFor(Duration.ofSeconds(10));
    assertEquals(3, reporter.writes());
    assertEquals(
        "docker://24.0.7",
        client.nodes().withName(NODE).get().getStatus().getNodeInfo().getContainerRuntimeVersion());
  }

  @Test
  void checksOftenUntilReadyWasReportedOnce() {
    runtimeVersion = "";
    assertFalse(reporter.tickUntilReady());
    assertEquals("False", condition("Ready").orElseThrow().getStatus());

    runtimeVersion = "20.10.24";
    clock.advance(Duration.ofMillis(500));

    assertTrue(reporter.tickUntilReady());
    assertEquals("True", condition("Ready").orElseThrow().getStatus());
    assertTrue(reporter.tickUntilReady());
    assertEquals(2, reporter.writes(), "nothing more once Ready was written");
  }

  @Test
  void rewritesReadyAtOnceWhenTheNodeControllerMarkedItUnknown() {
    reporter.tick();
    client
        .nodes()
        .withName(NODE)
        .editStatus(
            n -> {
              Node copy = new NodeBuilder(n).build();
              copy.getStatus().getConditions().stream()
                  .filter(c -> c.getType().equals("Ready"))
                  .forEach(
                      c -> {
                        c.setStatus("Unknown");
                        c.setReason("NodeStatusUnknown");
                      });
              return copy;
            });
    state.serverConditions(java.util.Map.of("Ready", "Unknown", "MemoryPressure", "Unknown"));

    clock.advance(Duration.ofSeconds(10));
    reporter.tick();

    assertEquals(2, reporter.writes());
    assertEquals("True", condition("Ready").orElseThrow().getStatus());
  }

  @Test
  void keepsConditionsOtherWritersOwn() {
    client
        .nodes()
        .withName(NODE)
        .editStatus(
            n ->
                new NodeBuilder(n)
                    .withNewStatus()
                    .addNewCondition()
                    .withType("NetworkUnavailable")
                    .withStatus("False")
                    .withReason("RouteCreated")
                    .endCondition()
                    .endStatus()
                    .build());

    reporter.tick();

    assertEquals("RouteCreated", condition("NetworkUnavailable").orElseThrow().getReason());
    assertEquals("True", condition("Ready").orElseThrow().getStatus());
  }

  @Test
  void reportsTheNodeGoneWhenTheWriteFindsNoNode() {
    reporter.tick();
    client.nodes().withName(NODE).delete();

    clock.advance(Duration.ofMinutes(5));
    reporter.tick();

    assertTrue(state.uid().isEmpty());
  }

  @Test
  void writesNothingWhileTheNodeIsUnknown() {
    state.gone(null);

    reporter.tick();

    assertEquals(0, reporter.writes());
    assertTrue(condition("Ready").isEmpty());
  }
}
