package io.staticlet.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.staticlet.core.runtime.ContainerSpecRejectedException;
import io.staticlet.core.runtime.PullPolicy;
import io.staticlet.core.runtime.SandboxSpec;
import io.staticlet.docker.DockerErrors.Operation;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and starts pod sandboxes. The kubelet gives sandboxes {@code oom_score_adj -998}; some
 * kernels (user namespaces, unprivileged containers running the engine) refuse a negative value,
 * and runc then fails at start with a message that does not name the cause. So when a sandbox with
 * a negative score cannot be created or started, it is retried once with 0; if that works, later
 * sandboxes use 0 directly and a WARN is logged once per process. A caller that already knows the
 * kernel refuses (the agent's own score was refused) passes 0 and no sandbox pays for the retry.
 */
final class SandboxLauncher {
  private static final Logger log = LoggerFactory.getLogger(SandboxLauncher.class);
  private static final AtomicBoolean WARNED_OOM_SCORE = new AtomicBoolean();

  private final DockerClient docker;
  private final ImagePuller images;
  private final String podInfraImage;
  private final String nodeName;
  private final int preferredOomScoreAdj;
  private volatile int oomScoreAdj;

  SandboxLauncher(
      DockerClient docker,
      ImagePuller images,
      String podInfraImage,
      String nodeName,
      int oomScoreAdj) {
    this.docker = docker;
    this.images = images;
    this.podInfraImage = podInfraImage;
    this.nodeName = nodeName;
    this.preferredOomScoreAdj = oomScoreAdj;
    this.oomScoreAdj = oomScoreAdj;
  }

  String start(SandboxSpec pod) {
    images.ensure(podInfraImage, PullPolicy.IF_NOT_PRESENT);
    int score = oomScoreAdj;
    try {
      return createAndStart(pod, score);
    } catch (ContainerSpecRejectedException refused) {
      if (score >= 0) {
        throw refused; // nothing to fall back to
      }
      String id = createAndStart(pod, 0); // throws the real reason if 0 fails too
      oomScoreAdj = 0;
      if (WARNED_OOM_SCORE.compareAndSet(false, true)) {
        log.warn(
            "engine refused sandbox oom_score_adj={}, using 0 for all sandboxes pod={} error={}",
            preferredOomScoreAdj,
            pod.pod(),
            refused.getMessage());
      }
      return id;
    }
  }

  private String createAndStart(SandboxSpec pod, int oomScoreAdj) {
    String what = "create sandbox attempt " + pod.attempt() + " for " + pod.pod();
    String id =
        DockerErrors.call(
            Operation.CREATE,
            what,
            () ->
                SandboxConfigMapper.apply(
                        docker.createContainerCmd(podInfraImage), pod, oomScoreAdj, nodeName)
                    .exec()
                    .getId());
    try {
      DockerErrors.run(
          Operation.START,
          "start sandbox attempt " + pod.attempt() + " for " + pod.pod(),
          () -> docker.startContainerCmd(id).exec());
      return id;
    } catch (RuntimeException e) {
      removeQuietly(id); // a sandbox that never ran is useless; free its name for the retry
      throw e;
    }
  }

  private void removeQuietly(String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException gone) {
      // fine
    } catch (RuntimeException e) {
      log.debug("could not remove failed sandbox id={}", id, e);
    }
  }
}
