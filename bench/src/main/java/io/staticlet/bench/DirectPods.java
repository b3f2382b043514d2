package io.staticlet.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import io.staticlet.testkit.Manifests;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The baseline: the sandbox + app container pair the agent creates for one pod, created and started
 * directly with docker-java and nothing else (no manifest, no image check, no status). The sandbox
 * gets what the agent's sandbox gets (shareable IPC, default network, hostname, oom_score_adj -998,
 * 2 CPU shares, no restart); the app joins its network and IPC namespaces, with Docker's
 * healthcheck off. Everything carries the bench's run label, so it can all be removed.
 */
final class DirectPods {
  static final String RUN = "io.staticlet.bench.run";
  static final String POD = "io.staticlet.bench.pod";
  static final String ROLE = "io.staticlet.bench.role";
  private static final int SANDBOX_OOM_SCORE_ADJ = -998;

  private final DockerClient docker;
  private final String runId;
  private volatile int oomScoreAdj = SANDBOX_OOM_SCORE_ADJ;

  DirectPods(DockerClient docker, String runId) {
    this.docker = docker;
    this.runId = runId;
  }

  /** Creates and starts the sandbox, then creates and starts the app in it. */
  void launch(String pod) {
    String sandbox = startSandbox(pod);
    String network = "container:" + sandbox;
    String app =
        docker
            .createContainerCmd(Manifests.IMAGE)
            .withName("bench_app_" + pod + "_" + runId)
            .withLabels(labels(pod, "app"))
            .withEntrypoint("sh", "-c", Manifests.SERVICE_SCRIPT)
            .withHealthcheck(new HealthCheck().withTest(List.of("NONE")))
            .withHostConfig(
                HostConfig.newHostConfig()
                    .withNetworkMode(network)
                    .withIpcMode(network)
                    .withRestartPolicy(RestartPolicy.noRestart()))
            .exec()
            .getId();
    docker.startContainerCmd(app).exec();
  }

  private String startSandbox(String pod) {
    int oom = oomScoreAdj;
    try {
      return createAndStartSandbox(pod, oom);
    } catch (RuntimeException refused) {
      if (oom == 0) {
        throw refused;
      }
      // as the agent does when the engine refuses a negative score: 0 from now on
      oomScoreAdj = 0;
      removeQuietly(sandboxName(pod));
      return createAndStartSandbox(pod, 0);
    }
  }

  private String createAndStartSandbox(String pod, int oom) {
    String id =
        docker
            .createContainerCmd(Manifests.PAUSE_IMAGE)
            .withName(sandboxName(pod))
            .withHostName(pod)
            .withLabels(labels(pod, "sandbox"))
            .withHostConfig(
                HostConfig.newHostConfig()
                    .withIpcMode("shareable")
                    .withNetworkMode("default")
                    .withOomScoreAdj(oom)
                    .withCpuShares(2)
                    .withRestartPolicy(RestartPolicy.noRestart()))
            .exec()
            .getId();
    docker.startContainerCmd(id).exec();
    return id;
  }

  private String sandboxName(String pod) {
    return "bench_POD_" + pod + "_" + runId;
  }

  private void removeQuietly(String name) {
    try {
      docker.removeContainerCmd(name).withForce(true).exec();
    } catch (RuntimeException e) {
      // not there: fine
    }
  }

  private Map<String, String> labels(String pod, String role) {
    return Map.of(RUN, runId, POD, pod, ROLE, role);
  }

  Predicate<Map<String, String>> appOf(String pod) {
    return labels ->
        runId.equals(labels.get(RUN))
            && pod.equals(labels.get(POD))
            && "app".equals(labels.get(ROLE));
  }

  /** Force-removes the pod's two containers. */
  void remove(String pod) {
    Containers.removeAll(docker, Map.of(RUN, runId, POD, pod), 2);
  }

  /** Force-removes every container of this run, {@code parallelism} at a time. */
  void removeAll(int parallelism) {
    Containers.removeAll(docker, Map.of(RUN, runId), parallelism);
  }
}
