package io.staticlet.mirror;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UID of this node's Node object while it is known to exist, learnt from registration
 * responses, the node informer and 404s. Mirrors are created, and the Lease renewed, only while it
 * is known (DECISIONS.md 17).
 *
 * <p>Concurrency contract: thread-safe; written by the registrar, the status reporter (scheduler
 * threads) and the node informer, read by every loop. Listeners (registered once, by ClusterLoops)
 * run on the thread that noticed the change, after the monitor is released, and must only schedule
 * or enqueue.
 */
final class NodeState {
  private static final Logger log = LoggerFactory.getLogger(NodeState.class);

  private final String nodeName;
  private final List<Consumer<Optional<String>>> listeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> conditionListeners = new CopyOnWriteArrayList<>();
  private String uid; // guarded by this
  private Map<String, String> serverConditions = Map.of(); // guarded by this

  NodeState(String nodeName) {
    this.nodeName = nodeName;
  }

  void addListener(Consumer<Optional<String>> listener) {
    listeners.add(listener);
  }

  /** {@code listener} runs (must only enqueue) when the conditions stored on the server change. */
  void onServerConditionsChanged(Runnable listener) {
    conditionListeners.add(listener);
  }

  /**
   * Condition type to status as the server last showed them (another writer may have changed them).
   */
  synchronized Map<String, String> serverConditions() {
    return serverConditions;
  }

  /** What the node informer saw stored on the server. */
  void serverConditions(Map<String, String> conditions) {
    synchronized (this) {
      if (conditions.equals(serverConditions)) {
        return;
      }
      serverConditions = Map.copyOf(conditions);
    }
    conditionListeners.forEach(Runnable::run);
  }

  synchronized Optional<String> uid() {
    return Optional.ofNullable(uid);
  }

  String nodeName() {
    return nodeName;
  }

  /** The Node exists with {@code nodeUid}. */
  void observed(String nodeUid) {
    synchronized (this) {
      if (nodeUid.equals(uid)) {
        return;
      }
      uid = nodeUid;
    }
    log.info("node present node={} uid={}", nodeName, nodeUid);
    notifyListeners(Optional.of(nodeUid));
  }

  /**
   * The Node with {@code nodeUid} is gone (deleted, or being deleted); a newer one is left alone.
   */
  void gone(String nodeUid) {
    synchronized (this) {
      if (uid == null || (nodeUid != null && !nodeUid.equals(uid))) {
        return;
      }
      uid = null;
      serverConditions = Map.of();
    }
    log.warn("node object is gone node={} uid={}", nodeName, nodeUid);
    notifyListeners(Optional.empty());
  }

  private void notifyListeners(Optional<String> current) {
    listeners.forEach(l -> l.accept(current));
  }
}
