package io.staticlet.core.status;

import io.fabric8.kubernetes.api.model.PodStatus;
import io.staticlet.core.manifest.ManifestError;
import io.staticlet.core.manifest.ManifestWarning;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The one owner of computed pod status (the kubelet's status manager cache). The reconciler writes
 * it; {@code /pods}, the mirror loop and probes read it. Listeners hear the key of every pod whose
 * view changed and must only enqueue. Thread-safe.
 */
public final class PodStatusStore {
  private final Map<PodKey, PodView> views = new HashMap<>(); // guarded by this
  private List<ManifestError> manifestErrors = List.of(); // guarded by this
  private Map<PodKey, String> manifestWarnings = Map.of(); // guarded by this
  private final List<Consumer<PodKey>> listeners = new CopyOnWriteArrayList<>();

  public void addListener(Consumer<PodKey> listener) {
    listeners.add(listener);
  }

  /** Records the status computed for {@code pod}; listeners are told only when something changed. */
  public void update(StaticPod pod, PodStatus status) {
    boolean changed;
    synchronized (this) {
      PodView before = views.get(pod.key());
      PodView after = before == null
          ? new PodView(pod.key(), pod, status, errorFor(pod.key()), "")
          : before.withStatus(pod, status);
      changed = !after.equals(before);
      views.put(pod.key(), after);
    }
    if (changed) {
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

  /** Records the manifest errors of the latest listing and attaches them to the pods they concern. */
  public void setManifestErrors(List<ManifestError> errors) {
    List<PodKey> changed = new ArrayList<>();
    synchronized (this) {
      manifestErrors = List.copyOf(errors);
      for (var entry : views.entrySet()) {
        String error = errorFor(entry.getKey());
        if (!error.equals(entry.getValue().manifestError())) {
          entry.setValue(entry.getValue().withManifestError(error));
          changed.add(entry.getKey());
        }
      }
    }
    changed.forEach(this::notify);
  }

  /**
   * Records the manifest warnings of the latest listing (unknown fields, DECISIONS.md 5): shown on
   * {@code /pods}; they change nothing that runs, so nobody is notified.
   */
  public synchronized void setManifestWarnings(List<ManifestWarning> warnings) {
    Map<PodKey, String> byPod = new HashMap<>();
    for (ManifestWarning warning : warnings) {
      byPod.merge(warning.pod(), warning.describe(), (a, b) -> a + "; " + b);
    }
    manifestWarnings = Map.copyOf(byPod);
  }

  /** The manifest warning of {@code key}'s file ("" when none). */
  public synchronized String manifestWarning(PodKey key) {
    return manifestWarnings.getOrDefault(key, "");
  }

  /** Records why the mirror of {@code key} could not be written ("" when it is fine again). */
  public void setMirrorError(PodKey key, String error) {
    synchronized (this) {
      PodView view = views.get(key);
      if (view == null || view.mirrorError().equals(error == null ? "" : error)) {
        return;
      }
      views.put(key, view.withMirrorError(error));
    }
    // the mirror error is for operators (/pods); it does not change what the mirror shows
  }

  public synchronized Optional<PodView> get(PodKey key) {
    return Optional.ofNullable(views.get(key));
  }

  public synchronized List<PodView> all() {
    return List.copyOf(views.values());
  }

  public synchronized List<ManifestError> manifestErrors() {
    return manifestErrors;
  }

  private String errorFor(PodKey key) {
    return manifestErrors.stream()
        .filter(e -> Objects.equals(e.pod(), key))
        .map(ManifestError::describe)
        .findFirst()
        .orElse("");
  }

  private void notify(PodKey key) {
    for (Consumer<PodKey> listener : listeners) {
      listener.accept(key);
    }
  }
}
