package io.staticlet.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.staticlet.testkit.AgentProcess;
import io.staticlet.testkit.ManifestDir;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * One running agent and everything the benchmarks observe it through: its manifest directory, its
 * containers on the engine, and in cluster mode its mirrors as an administrator sees them. {@code
 * mirrors} and {@code admin} are null in standalone mode.
 */
record BenchAgent(
    AgentProcess process,
    ManifestDir manifests,
    Containers containers,
    MirrorWatch mirrors,
    KubernetesClient admin) {

  String node() {
    return process.launch().node();
  }

  boolean clusterMode() {
    return mirrors != null;
  }

  String podName(String manifestName) {
    return AgentLabels.podName(manifestName, node());
  }

  /**
   * Deletes the manifests and waits until the agent has stopped and removed their containers and,
   * in cluster mode, deleted their mirrors.
   */
  void removePods(Collection<String> manifestNames, Duration timeout)
      throws TimeoutException, InterruptedException {
    Set<String> pods = manifestNames.stream().map(this::podName).collect(Collectors.toSet());
    manifestNames.forEach(manifests::delete);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long containers =
          this.containers.list(true).stream()
              .filter(c -> pods.contains(c.getLabels().get(AgentLabels.POD_NAME)))
              .count();
      long mirrors =
          clusterMode()
              ? this.mirrors.snapshot().keySet().stream().filter(pods::contains).count()
              : 0;
      if (containers == 0 && mirrors == 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            containers
                + " containers and "
                + mirrors
                + " mirrors of removed pods still there after "
                + timeout.toSeconds()
                + " s");
      }
      Thread.sleep(200);
    }
  }

  /** The running app container of each pod, by pod name. */
  Map<String, String> runningApps() {
    return containers.runningApps();
  }
}
