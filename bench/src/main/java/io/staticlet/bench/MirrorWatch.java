package io.staticlet.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The node's pods as an administrator sees them through the API (an informer on {@code
 * spec.nodeName=<node>}, with admin credentials): a mirror is "visible" or "Running" at the instant
 * the watch event that shows it reaches the bench.
 */
final class MirrorWatch implements AutoCloseable {
  private final Map<String, Pod> pods = new HashMap<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private SharedIndexInformer<Pod> informer;

  private record Waiter(String name, Predicate<Pod> condition, CompletableFuture<Instant> met) {}

  static MirrorWatch start(KubernetesClient admin, String node) {
    MirrorWatch watch = new MirrorWatch();
    watch.informer =
        admin
            .pods()
            .inAnyNamespace()
            .withField("spec.nodeName", node)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    watch.onChange(pod, false);
                  }

                  @Override
                  public void onUpdate(Pod old, Pod pod) {
                    watch.onChange(pod, false);
                  }

                  @Override
                  public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                    watch.onChange(pod, true);
                  }
                },
                0);
    return watch; // inform() returns after the initial list, with the watch open
  }

  /**
   * Completes at the first event (or now) at which the named pod exists and meets the condition.
   */
  CompletableFuture<Instant> await(String name, Predicate<Pod> condition) {
    CompletableFuture<Instant> met = new CompletableFuture<>();
    synchronized (this) {
      Pod current = pods.get(name);
      if (current != null && condition.test(current)) {
        met.complete(Instant.now());
      } else {
        waiters.add(new Waiter(name, condition, met));
      }
    }
    return met;
  }

  /** Completes when the named pod is gone from the API. */
  CompletableFuture<Instant> awaitGone(String name) {
    CompletableFuture<Instant> gone = new CompletableFuture<>();
    synchronized (this) {
      if (!pods.containsKey(name)) {
        gone.complete(Instant.now());
      } else {
        waiters.add(new Waiter(name, null, gone));
      }
    }
    return gone;
  }

  synchronized Map<String, Pod> snapshot() {
    return Map.copyOf(pods);
  }

  private void onChange(Pod pod, boolean deleted) {
    Instant at = Instant.now();
    String name = pod.getMetadata().getName();
    synchronized (this) {
      if (deleted) {
        pods.remove(name);
      } else {
        pods.put(name, pod);
      }
      waiters.removeIf(
          w -> {
            if (!w.name().equals(name)) {
              return false;
            }
            boolean met = w.condition() == null ? deleted : !deleted && w.condition().test(pod);
            if (met) {
              w.met().complete(at);
            }
            return met;
          });
    }
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
