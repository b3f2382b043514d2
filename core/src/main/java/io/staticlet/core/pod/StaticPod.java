package io.staticlet.core.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * A static pod as read from one manifest file, defaulted and validated.
 *
 * <p>{@code pod} is the fully defaulted Kubernetes object (suffixed name, namespace, nodeName, UID,
 * {@code kubernetes.io/config.*} annotations, NoExecute toleration, scheme defaults). fabric8 model
 * objects are mutable: nobody may modify the one held here; copy it ({@link #copyOfPod()}) before
 * handing it to code that might.
 */
public record StaticPod(PodKey key, String uid, Path source, Instant seen, Pod pod) {
  public StaticPod {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(seen, "seen");
    Objects.requireNonNull(pod, "pod");
  }

  /** The config hash, equal to the UID as in the kubelet. */
  public String configHash() {
    return uid;
  }

  public RestartPolicy restartPolicy() {
    return RestartPolicy.of(pod.getSpec().getRestartPolicy());
  }

  public long terminationGracePeriodSeconds() {
    Long grace = pod.getSpec().getTerminationGracePeriodSeconds();
    return grace == null ? 30 : grace;
  }

  public boolean hostNetwork() {
    return Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
  }

  public Pod copyOfPod() {
    return new PodBuilder(pod).build();
  }
}
