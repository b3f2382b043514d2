package io.staticlet.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A label-selected set of containers on the engine: the agent's node's, or the baseline's run. */
final class Containers {
  private final DockerClient docker;
  private final Map<String, String> labels;

  Containers(DockerClient docker, Map<String, String> labels) {
    this.docker = docker;
    this.labels = Map.copyOf(labels);
  }

  static Containers ofNode(DockerClient docker, String node) {
    return new Containers(docker, Map.of(AgentLabels.MANAGED, "true", AgentLabels.NODE, node));
  }

  List<Container> list(boolean includeStopped) {
    return docker.listContainersCmd().withShowAll(includeStopped).withLabelFilter(labels).exec();
  }

  /** Running app containers by pod name (agent labels). */
  Map<String, String> runningApps() {
    Map<String, String> apps = new HashMap<>();
    for (Container c : list(false)) {
      Map<String, String> l = c.getLabels();
      if (AgentLabels.ROLE_APP.equals(l.get(AgentLabels.ROLE))) {
        apps.put(l.get(AgentLabels.POD_NAME), c.getId());
      }
    }
    return apps;
  }

  /**
   * Every running container's id and start time: two snapshots differ iff something was
   * (re)started.
   */
  Map<String, String> startedAtById() {
    Map<String, String> started = new HashMap<>();
    for (Container c : list(false)) {
      try {
        InspectContainerResponse inspect = docker.inspectContainerCmd(c.getId()).exec();
        started.put(c.getId(), inspect.getState().getStartedAt());
      } catch (NotFoundException gone) {
        // removed between list and inspect: not running any more
      }
    }
    return started;
  }

  void removeAll(int parallelism) {
    removeAll(docker, labels, parallelism);
  }

  static void removeAll(DockerClient docker, Map<String, String> labels, int parallelism) {
    List<Container> all =
        docker.listContainersCmd().withShowAll(true).withLabelFilter(labels).exec();
    if (all.isEmpty()) {
      return;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, all.size())));
    try {
      for (Container c : all) {
        pool.execute(
            () -> {
              try {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
              } catch (NotFoundException gone) {
                // already removed
              } catch (RuntimeException e) {
                System.err.println(
                    "bench: could not remove container " + c.getId() + ": " + e.getMessage());
              }
            });
      }
    } finally {
      pool.shutdown();
      try {
        // 220 running containers (B7) took more than 2 min to force-remove on a busy engine; the
        // cleanup closes the client after this returns, so wait for the removals to end
        if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
          System.err.println("bench: containers still being removed after 10 min: " + labels);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
