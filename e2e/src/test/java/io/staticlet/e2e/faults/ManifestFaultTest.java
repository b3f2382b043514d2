package io.staticlet.e2e.faults;

import io.staticlet.testkit.AgentProcess;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up the manifest fault tests share: before each test a {@link FaultAgent} with the given
 * long-running pods already running, after it the agent stopped (its log in the report) and its
 * containers removed.
 */
abstract class ManifestFaultTest {
  private final List<String> pods;
  @TempDir Path work;
  FaultAgent fault;
  Path manifests;
  String node;
  AgentProcess agent;

  ManifestFaultTest(String... pods) {
    this.pods = List.of(pods);
  }

  @BeforeEach
  void startAgent() {
    fault = new FaultAgent(work, pods.toArray(String[]::new));
    manifests = fault.manifests;
    node = fault.node;
    agent = fault.agent;
  }

  @AfterEach
  void stopAgent(TestInfo test) {
    if (fault != null) {
      fault.close(test);
    }
  }
}
