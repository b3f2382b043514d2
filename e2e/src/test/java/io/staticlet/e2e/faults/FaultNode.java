package io.staticlet.e2e.faults;

import io.staticlet.testkit.AgentProcess;
import io.staticlet.testkit.DockerCli;
import java.util.Locale;
import java.util.UUID;

/**
 * One fault test's node: a unique name, its agent once started, and the clean-up every fault test
 * needs ({@link #close()}: stop the agent, print its log into the failsafe report, remove the
 * node's containers).
 */
final class FaultNode implements AutoCloseable {
  final String name =
      "e2e-flt-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
  private AgentProcess agent;

  /** Starts {@code process} (waits for /healthz ok) and keeps it for {@link #close()}. */
  AgentProcess start(AgentProcess process) {
    agent = process;
    return process.start();
  }

  AgentProcess agent() {
    return agent;
  }

  @Override
  public void close() {
    if (agent != null) {
      agent.close();
      String log = agent.log();
      System.out.println(
          "==== agent log (last 30000 chars) ====\n"
              + log.substring(Math.max(0, log.length() - 30_000)));
    }
    DockerCli.removeNode(name);
  }
}
