package io.staticlet.mirror;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.queue.QueueWorkers;
import io.staticlet.core.queue.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pods created through the API and bound to this node ({@code spec.nodeName} = the node, no mirror
 * annotation: DaemonSet pods such as kubeadm's kube-proxy, or a pod with a hand-set nodeName).
 * staticlet runs static pods only, so such a pod is rejected as the kubelet's admission rejects a
 * pod it cannot run ({@code rejectPod}: phase {@code Failed}, a one-word reason, a message starting
 * with "Pod "), written to {@code pods/status} with the node's own credentials (NodeRestriction
 * lets a node update the status of pods bound to it). Never left Pending.
 *
 * <p>Concurrency contract: {@link #offer} and {@link #forget} are called on the pod informer's
 * thread and only record and enqueue; the rejections (one status write each, blocking within the
 * client's request timeout) run on one worker thread of their own; a failed write is retried.
 */
final class ApiPodRejecter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiPodRejecter.class);
  static final String REASON = "StaticPodsOnly";
  private static final Duration RETRY = Duration.ofSeconds(5);

  /** Writes a pod's status with a UID precondition; false when the pod is gone or was replaced. */
  @FunctionalInterface
  interface StatusWriter {
    boolean write(PodKey key, String uid, PodStatus status);
  }

  private final String nodeName;
  private final StatusWriter writer;
  private final WorkQueue<PodKey> queue;
  private final QueueWorkers<PodKey> workers;
  private final Map<PodKey, String> pending = new ConcurrentHashMap<>();

  ApiPodRejecter(String nodeName, StatusWriter writer, Clock clock) {
    this.nodeName = nodeName;
    this.writer = writer;
    this.queue = new WorkQueue<>(clock);
    this.workers = new QueueWorkers<>(queue, this::reject);
  }

  void start(ThreadFactory threads) {
    workers.start(1, threads);
  }

  /** Told every pod the node's informer sees; queues the ones to reject. Never blocks. */
  void offer(Pod pod) {
    if (!toReject(pod, nodeName)) {
      return;
    }
    PodKey key = new PodKey(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    pending.put(key, pod.getMetadata().getUid());
    queue.add(key);
  }

  /** A pod that was deleted needs nothing any more. */
  void forget(Pod pod) {
    if (pod != null && pod.getMetadata() != null) {
      pending.remove(new PodKey(pod.getMetadata().getNamespace(), pod.getMetadata().getName()));
    }
  }

  static boolean toReject(Pod pod, String nodeName) {
    if (pod == null
        || pod.getMetadata() == null
        || pod.getSpec() == null
        || MirrorPodFactory.isMirror(pod)) {
      return false;
    }
    if (!nodeName.equals(pod.getSpec().getNodeName())
        || pod.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return !"Failed".equals(phase) && !"Succeeded".equals(phase);
  }

  PodStatus rejectedStatus() {
    return new PodStatusBuilder()
        .withPhase("Failed")
        .withReason(REASON)
        .withMessage(
            "Pod was rejected: node "
                + nodeName
                + " is run by staticlet, which runs only the static pods"
                + " of its manifest directory, not pods from the API server")
        .build();
  }

  private void reject(PodKey key) {
    String uid = pending.get(key);
    if (uid == null) {
      return;
    }
    try {
      if (writer.write(key, uid, rejectedStatus())) {
        log.info("rejected API pod bound to this node pod={} uid={} reason={}", key, uid, REASON);
      }
      pending.remove(key, uid);
    } catch (RuntimeException e) {
      log.warn(
          "cannot mark API pod Failed, retrying in {}s pod={} error={}",
          RETRY.toSeconds(),
          key,
          e.getMessage());
      queue.addAfter(key, RETRY);
    }
  }

  @Override
  public void close() {
    close(Duration.ZERO);
  }

  /** Stops the worker; a write in flight is let finish for up to {@code grace}. */
  void close(Duration grace) {
    workers.close(grace);
  }
}
