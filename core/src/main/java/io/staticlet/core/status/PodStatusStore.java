package io.staticlet.core.status;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The computed status of every static pod (the kubelet's status manager cache).
 *
 * <p>One writer: the reconciler's status step ({@link #update}, {@link #remove}), which runs on the
 * pod's reconcile worker, so writes for one key never race. Everyone else only reads: {@code
 * /pods}, the mirror loop, probes, metrics. Problems others know about are kept by their owners,
 * not here: manifest errors and warnings by {@code DesiredPods} (the latest listing), mirror errors
 * by {@code MirrorSync}.
 *
 * <p>Values are immutable ({@link PodView}, {@link PodStatusValue}). Listeners hear the key of
 * every pod whose view changed, on the writer's thread, and must only enqueue. Thread-safe.
 */
public final class PodStatusStore {
  private final Map<PodKey, PodView> views = new HashMap<>(); // guarded by this
  private final List<Consumer<PodKey>> listeners = new CopyOnWriteArrayList<>();

  /**
   * Adds {@code listener}; closing the returned handle removes it (a loop that is replaced must).
   */
  public AutoCloseable addListener(Consumer<PodKey> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * Records the status computed for {@code pod}; listeners are told only when something changed.
   */
  public void update(StaticPod pod, PodStatusValue status) {
    PodView after = new PodView(pod.key(), pod, status);
    PodView before;
    synchronized (this) {
      before = views.put(pod.key(), after);
    }
    if (!after.equals(before)) {
      notify(pod.key());
    }
  }

  /** Forgets a pod whose containers are gone. */
  public void remove(PodKey key) {
    boolean changed;
    synchronized (this) {
      changed = views.remove(key) != null;
    }
    if (changed) {
      notify(key);
    }
  }

  public synchronized Optional<PodView> get(PodKey key) {
    return Optional.ofNullable(views.get(key));
  }

  public synchronized List<PodView> all() {
    return List.copyOf(views.values());
  }

  private void notify(PodKey key) {
    for (Consumer<PodKey> listener : listeners) {
      listener.accept(key);
    }
  }
}
