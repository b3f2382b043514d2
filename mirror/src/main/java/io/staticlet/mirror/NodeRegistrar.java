package io.staticlet.mirror;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.staticlet.core.time.Scheduler;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the Node object (kubelet {@code registerWithAPIServer}): {@code POST /api/v1/nodes},
 * retried with back-off 100 ms doubling to 7 s until it succeeds; AlreadyExists means registered
 * once our labels and annotations are on the existing object. Registers again when the Node is
 * deleted while the agent runs, if {@code reregisterNode} (DECISIONS.md 17), when told {@link
 * #nodeGone()}.
 *
 * <p>Concurrency contract: every attempt runs on the cluster loops' scheduler and blocks for one or
 * two API calls (each within the client's request timeout); at most one attempt is scheduled at a
 * time. {@link #start()}, {@link #nodeGone()} and {@link #close()} only schedule or cancel and may
 * be called from any thread (the node state's listeners call {@code nodeGone} on an informer
 * thread).
 */
final class NodeRegistrar {
  private static final Logger log = LoggerFactory.getLogger(NodeRegistrar.class);
  static final Duration BACKOFF_INITIAL = Duration.ofMillis(100);
  static final Duration BACKOFF_MAX = Duration.ofSeconds(7);

  private final KubernetesClient client;
  private final ApiCalls calls;
  private final NodeFactory factory;
  private final NodeState state;
  private final ClusterSettings settings;
  private final Scheduler scheduler;
  private Duration delay = BACKOFF_INITIAL; // guarded by this
  private boolean scheduled; // guarded by this
  private boolean closed; // guarded by this
  private Scheduler.Cancellable pending; // guarded by this

  NodeRegistrar(
      KubernetesClient client,
      ApiCalls calls,
      NodeFactory factory,
      NodeState state,
      ClusterSettings settings,
      Scheduler scheduler) {
    this.client = client;
    this.calls = calls;
    this.factory = factory;
    this.state = state;
    this.settings = settings;
    this.scheduler = scheduler;
  }

  /** Registers in the background and, if enabled, again whenever the Node disappears. */
  void start() {
    if (!settings.registration().registerNode()) {
      log.info(
          "node registration disabled, using the existing Node object node={}",
          settings.nodeName());
      return;
    }
    scheduleAttempt(Duration.ZERO, true);
  }

  /**
   * The Node object is gone: registers it again if registration and re-registration are on. Only
   * schedules.
   */
  void nodeGone() {
    if (settings.registration().registerNode() && settings.registration().reregisterNode()) {
      log.info("node object deleted, registering it again node={}", settings.nodeName());
      scheduleAttempt(Duration.ZERO, true);
    }
  }

  private synchronized void scheduleAttempt(Duration after, boolean resetBackoff) {
    if (resetBackoff) {
      delay = BACKOFF_INITIAL;
    }
    if (scheduled || closed) {
      return;
    }
    scheduled = true;
    pending = scheduler.schedule(after, this::attempt);
  }

  /** One registration attempt; schedules the next on failure. */
  void attempt() {
    synchronized (this) {
      scheduled = false;
    }
    if (state.uid().isPresent()) {
      return;
    }
    try {
      String uid = register();
      state.observed(uid);
    } catch (ApiCallException e) {
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      Duration next;
      synchronized (this) {
        next = delay;
        delay =
            delay.multipliedBy(2).compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : delay.multipliedBy(2);
      }
      log.warn(
          "node registration failed, will retry node={} in={}ms reason={}",
          settings.nodeName(),
          next.toMillis(),
          e.getMessage());
      scheduleAttempt(next, false);
    }
  }

  private String register() {
    try {
      Node created =
          calls.call(
              "register node " + settings.nodeName(),
              () -> client.nodes().resource(factory.initialNode()).create());
      log.info(
          "node registered node={} uid={} version={}",
          settings.nodeName(),
          created.getMetadata().getUid(),
          NodeFactory.KUBELET_VERSION);
      return created.getMetadata().getUid();
    } catch (ApiCallException e) {
      if (e.kind() != ApiErrorKind.CONFLICT) {
        throw e;
      }
    }
    Node existing =
        calls.call(
            "get node " + settings.nodeName(),
            () -> client.nodes().withName(settings.nodeName()).get());
    if (existing == null) {
      throw new ApiCallException(
          ApiErrorKind.NOT_FOUND,
          404,
          "node " + settings.nodeName() + " vanished after AlreadyExists",
          null);
    }
    reconcileMetadata(existing);
    log.info(
        "node already registered node={} uid={}",
        settings.nodeName(),
        existing.getMetadata().getUid());
    return existing.getMetadata().getUid();
  }

  /**
   * Puts our labels and annotations on an existing Node (kubelet {@code
   * reconcileExtendedResource}'s sibling for labels).
   */
  private void reconcileMetadata(Node existing) {
    Map<String, String> labels = missing(existing.getMetadata().getLabels(), factory.labels());
    Map<String, String> annotations =
        missing(existing.getMetadata().getAnnotations(), factory.annotations());
    if (labels.isEmpty() && annotations.isEmpty()) {
      return;
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    if (!labels.isEmpty()) {
      metadata.put("labels", labels);
    }
    if (!annotations.isEmpty()) {
      metadata.put("annotations", annotations);
    }
    String patch = client.getKubernetesSerialization().asJson(Map.of("metadata", metadata));
    calls.call(
        "update labels of node " + settings.nodeName(),
        () ->
            client
                .nodes()
                .withName(settings.nodeName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), patch));
    log.info(
        "node labels reconciled node={} labels={} annotations={}",
        settings.nodeName(),
        labels.keySet(),
        annotations.keySet());
  }

  private static Map<String, String> missing(Map<String, String> have, Map<String, String> want) {
    Map<String, String> current = Optional.ofNullable(have).orElse(Map.of());
    Map<String, String> out = new LinkedHashMap<>();
    want.forEach(
        (k, v) -> {
          if (!v.equals(current.get(k))) {
            out.put(k, v);
          }
        });
    return out;
  }

  synchronized void close() {
    closed = true;
    if (pending != null) {
      pending.cancel();
    }
  }
}
