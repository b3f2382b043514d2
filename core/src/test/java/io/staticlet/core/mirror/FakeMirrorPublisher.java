package io.staticlet.core.mirror;

import io.staticlet.core.pod.KubeletAnnotations;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.status.PodStatusValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory API server for the mirror loop, like the kubelet's FakeMirrorClient: the cache is
 * always up to date, every change is announced to the listeners (as a watch would), and calls are
 * recorded. Tests play the user ({@link #kubectlDelete}, {@link #forceDelete}, {@link #setImage}),
 * the node controller ({@link #overwriteStatus}) and outages ({@link #unavailable}, {@link
 * #reject}).
 */
public final class FakeMirrorPublisher implements MirrorPublisher {
  private final Map<PodKey, MirrorPod> mirrors = new HashMap<>();
  private final Map<String, String> rejectedNamespaces = new HashMap<>();
  private final List<MirrorListener> listeners = new CopyOnWriteArrayList<>();
  public final List<String> calls = new CopyOnWriteArrayList<>();
  public final List<PodStatusValue> statusWrites = new CopyOnWriteArrayList<>();
  private String nodeUid = "node-uid-1";
  private boolean unavailable;
  private boolean synced = true;
  private int nextUid = 1;
  private int nextVersion = 1;

  public synchronized void nodeUid(String uid) {
    this.nodeUid = uid;
  }

  /**
   * Whether the cache has listed once; {@link #announceResync} after setting it true, as an
   * informer's sync would.
   */
  public synchronized void cacheSynced(boolean synced) {
    this.synced = synced;
  }

  /**
   * While true every write throws {@link MirrorApiUnavailableException}; reads serve the (stale)
   * cache.
   */
  public synchronized void unavailable(boolean down) {
    this.unavailable = down;
  }

  /** Creates in {@code namespace} are refused with {@code reason}; null accepts them again. */
  public synchronized void reject(String namespace, String reason) {
    if (reason == null) {
      rejectedNamespaces.remove(namespace);
    } else {
      rejectedNamespaces.put(namespace, reason);
    }
  }

  public synchronized Optional<MirrorPod> mirror(PodKey key) {
    return Optional.ofNullable(mirrors.get(key));
  }

  /** {@code kubectl delete} of a pod bound to a node: it stays, with a deletion timestamp. */
  public void kubectlDelete(PodKey key) {
    change(
        key,
        m ->
            new MirrorPod(
                m.key(),
                m.uid(),
                version(),
                m.configMirror(),
                true,
                m.ownerNodeUid(),
                m.images(),
                m.status()));
  }

  /** {@code kubectl delete --force --grace-period=0}, or the garbage collector: gone at once. */
  public void forceDelete(PodKey key) {
    synchronized (this) {
      mirrors.remove(key);
    }
    announce(key);
  }

  /** Removes the mirror without telling anyone, as if the watch event was lost. */
  public synchronized void loseSilently(PodKey key) {
    mirrors.remove(key);
  }

  /** {@code kubectl set image} on the mirror. */
  public void setImage(PodKey key, String container, String image) {
    change(
        key,
        m -> {
          Map<String, String> images = new HashMap<>(m.images());
          images.put(container, image);
          return new MirrorPod(
              m.key(),
              m.uid(),
              version(),
              m.configMirror(),
              false,
              m.ownerNodeUid(),
              images,
              m.status());
        });
  }

  /** Another writer (the node lifecycle controller) replaces the stored status. */
  public void overwriteStatus(PodKey key, MirrorStatusSummary status) {
    change(
        key,
        m ->
            new MirrorPod(
                m.key(),
                m.uid(),
                version(),
                m.configMirror(),
                m.terminating(),
                m.ownerNodeUid(),
                m.images(),
                status));
  }

  /**
   * Puts a mirror on the server as an earlier agent (or another node's agent) might have left it.
   */
  public void preload(StaticPod pod, String hash, String ownerUid) {
    synchronized (this) {
      mirrors.put(
          pod.key(),
          new MirrorPod(
              pod.key(),
              "mirror-uid-" + nextUid++,
              version(),
              hash,
              false,
              ownerUid,
              MirrorDrift.images(pod),
              MirrorStatusSummary.NONE));
    }
    announce(pod.key());
  }

  public long count(String callPrefix) {
    return calls.stream().filter(c -> c.startsWith(callPrefix)).count();
  }

  @Override
  public synchronized Optional<MirrorPod> get(PodKey key) {
    return Optional.ofNullable(mirrors.get(key));
  }

  @Override
  public synchronized boolean cacheSynced() {
    return synced;
  }

  @Override
  public synchronized Set<PodKey> listMirrors() {
    return Set.copyOf(mirrors.keySet());
  }

  @Override
  public synchronized Optional<String> nodeUid() {
    return Optional.ofNullable(nodeUid);
  }

  @Override
  public MirrorPod create(StaticPod pod) {
    MirrorPod created;
    synchronized (this) {
      calls.add("create " + pod.key());
      failIfDown();
      String refused = rejectedNamespaces.get(pod.key().namespace());
      if (refused != null) {
        throw new MirrorRejectedException(refused);
      }
      if (nodeUid == null) {
        throw new MirrorRejectedException("node uid unknown");
      }
      MirrorPod existing = mirrors.get(pod.key());
      if (existing != null) {
        return existing;
      }
      String hash = pod.pod().getMetadata().getAnnotations().get(KubeletAnnotations.CONFIG_HASH);
      created =
          new MirrorPod(
              pod.key(),
              "mirror-uid-" + nextUid++,
              version(),
              hash,
              false,
              nodeUid,
              MirrorDrift.images(pod),
              MirrorStatusSummary.NONE);
      mirrors.put(pod.key(), created);
    }
    announce(pod.key());
    return created;
  }

  @Override
  public boolean delete(PodKey key, String mirrorUid) {
    synchronized (this) {
      calls.add("delete " + key + " " + mirrorUid);
      failIfDown();
      MirrorPod m = mirrors.get(key);
      if (m == null || !m.uid().equals(mirrorUid)) {
        return false;
      }
      mirrors.remove(key);
    }
    announce(key);
    return true;
  }

  @Override
  public boolean writeStatus(PodKey key, String mirrorUid, PodStatusValue status) {
    synchronized (this) {
      calls.add("status " + key + " " + mirrorUid);
      failIfDown();
      MirrorPod m = mirrors.get(key);
      if (m == null || !m.uid().equals(mirrorUid)) {
        return false;
      }
      statusWrites.add(status);
      mirrors.put(
          key,
          new MirrorPod(
              key,
              m.uid(),
              version(),
              m.configMirror(),
              m.terminating(),
              m.ownerNodeUid(),
              m.images(),
              MirrorStatusSummary.of(status)));
    }
    announce(key);
    return true;
  }

  @Override
  public AutoCloseable watch(MirrorListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Tells the listeners to look at everything again (node registered, API back). */
  public void announceResync(String reason) {
    listeners.forEach(l -> l.resyncAll(reason));
  }

  private void change(PodKey key, java.util.function.UnaryOperator<MirrorPod> edit) {
    synchronized (this) {
      MirrorPod m = mirrors.get(key);
      if (m == null) {
        throw new IllegalStateException("no mirror " + key);
      }
      mirrors.put(key, edit.apply(m));
    }
    announce(key);
  }

  private void failIfDown() {
    if (unavailable) {
      throw new MirrorApiUnavailableException("connect to API server: connection refused");
    }
  }

  private synchronized String version() {
    return String.valueOf(nextVersion++);
  }

  private void announce(PodKey key) {
    listeners.forEach(l -> l.mirrorChanged(key));
  }
}
