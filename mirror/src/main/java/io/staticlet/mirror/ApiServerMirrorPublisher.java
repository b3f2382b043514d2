package io.staticlet.mirror;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.staticlet.core.mirror.MirrorChangedException;
import io.staticlet.core.mirror.MirrorListener;
import io.staticlet.core.mirror.MirrorPod;
import io.staticlet.core.mirror.MirrorPublisher;
import io.staticlet.core.mirror.MirrorRejectedException;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.status.PodStatusRenderer;
import io.staticlet.core.status.PodStatusValue;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MirrorPublisher} against a real API server. Reads come from an informer on this node's
 * pods ({@code fieldSelector=spec.nodeName=<node>}, which node credentials require); its handler
 * only tells the listeners which key changed. Writes are single calls: create, delete with grace 0
 * and a UID precondition ({@code client.raw}, the DSL cannot send one), and a JSON patch of the
 * status subresource that first tests the mirror UID, as the kubelet's patch carries it. The only
 * place mirror pods exist as fabric8 objects: {@link MirrorPodFactory} builds them from the static
 * pod and reads {@link MirrorPod} records out of them; statuses are rendered with {@link
 * PodStatusRenderer}. Thread-safe (see {@link MirrorPublisher} for the contract).
 */
public final class ApiServerMirrorPublisher implements MirrorPublisher, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServerMirrorPublisher.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final ApiCalls calls;
  private final NodeState node;
  private final ApiHealth health;
  private final boolean nodeNameFieldSelector;
  private final List<MirrorListener> listeners = new CopyOnWriteArrayList<>();
  private SharedIndexInformer<Pod> informer;
  private final ApiPodRejecter apiPods;

  /**
   * @param nodeNameFieldSelector false only against fabric8's mock server, which answers a {@code
   *     spec.nodeName} field selector with nothing; pods of other nodes are filtered out in any
   *     case
   * @param clock the time the rejecter of API pods bound to this node writes into their status
   */
  ApiServerMirrorPublisher(
      KubernetesClient client,
      ApiCalls calls,
      NodeState node,
      ApiHealth health,
      boolean nodeNameFieldSelector,
      Clock clock) {
    this.client = client;
    this.calls = calls;
    this.node = node;
    this.nodeNameFieldSelector = nodeNameFieldSelector;
    this.health = health;
    // the informer hands it every non-mirror pod; it writes their status through this publisher
    this.apiPods = new ApiPodRejecter(node.nodeName(), this::writePodStatus, clock);
  }

  /**
   * The rejecter of API pods bound to this node, fed by this publisher's informer; its owner starts
   * and closes it.
   */
  ApiPodRejecter apiPodRejecter() {
    return apiPods;
  }

  /** Starts the pod informer in the background; never blocks, retries forever. */
  synchronized void start() {
    var pods = client.pods().inAnyNamespace();
    informer =
        (nodeNameFieldSelector ? pods.withField("spec.nodeName", node.nodeName()) : pods)
            .runnableInformer(0);
    informer.exceptionHandler(
        (started, t) -> {
          health.unreachable("watch pods", "watch pods of node " + node.nodeName() + ": " + t);
          log.debug("pod watch failed, retrying node={}", node.nodeName(), t);
          return true;
        });
    informer.addEventHandler(
        new ResourceEventHandler<Pod>() {
          @Override
          public void onAdd(Pod pod) {
            changed(pod);
          }

          @Override
          public void onUpdate(Pod oldPod, Pod pod) {
            changed(pod);
          }

          @Override
          public void onDelete(Pod pod, boolean finalStateUnknown) {
            changed(pod);
            apiPods.forget(pod);
          }
        });
    informer.start().thenRun(() -> resyncAll("pod cache synced"));
  }

  private void changed(Pod pod) {
    if (MirrorPodFactory.isMirrorOf(pod, node.nodeName())) {
      PodKey key = MirrorPodFactory.keyOf(pod);
      listeners.forEach(l -> l.mirrorChanged(key));
      return;
    }
    apiPods.offer(pod);
  }

  /**
   * Tells the mirror loop to look at every pod now (node registered, API server back:
   * ClusterLoops).
   */
  void resyncAll(String reason) {
    listeners.forEach(l -> l.resyncAll(reason));
  }

  @Override
  public Optional<MirrorPod> get(PodKey key) {
    SharedIndexInformer<Pod> current = informer;
    if (current == null) {
      return Optional.empty();
    }
    Pod pod = current.getStore().getByKey(key.namespace() + "/" + key.name());
    return MirrorPodFactory.isMirrorOf(pod, node.nodeName())
        ? Optional.of(MirrorPodFactory.toRecord(pod))
        : Optional.empty();
  }

  @Override
  public Set<PodKey> listMirrors() {
    SharedIndexInformer<Pod> current = informer;
    if (current == null) {
      return Set.of();
    }
    return current.getStore().list().stream()
        .filter(p -> MirrorPodFactory.isMirrorOf(p, node.nodeName()))
        .map(MirrorPodFactory::keyOf)
        .collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public Optional<String> nodeUid() {
    return node.uid();
  }

  @Override
  public MirrorPod create(StaticPod staticPod) {
    PodKey key = staticPod.key();
    String nodeUid =
        node.uid()
            .orElseThrow(
                () ->
                    new MirrorRejectedException("node " + node.nodeName() + " is not registered"));
    Pod body = MirrorPodFactory.mirrorOf(staticPod, node.nodeName(), nodeUid);
    try {
      Pod created =
          calls.call(
              "create mirror " + key,
              () -> client.pods().inNamespace(key.namespace()).resource(body).create());
      return MirrorPodFactory.toRecord(created);
    } catch (ApiCallException e) {
      if (e.kind() != ApiErrorKind.CONFLICT) {
        throw e.toMirrorException();
      }
    }
    return existing(key);
  }

  /**
   * After AlreadyExists: the pod that has the name, if it is a mirror (the caller checks its hash).
   */
  private MirrorPod existing(PodKey key) {
    Pod pod;
    try {
      pod =
          calls.call(
              "get mirror " + key,
              () -> client.pods().inNamespace(key.namespace()).withName(key.name()).get());
    } catch (ApiCallException e) {
      throw e.toMirrorException();
    }
    if (pod == null) {
      throw new MirrorChangedException(
          "mirror " + key + " existed on create and was gone right after");
    }
    if (!MirrorPodFactory.isMirror(pod)) {
      throw new MirrorRejectedException("pod " + key + " already exists and is not a mirror pod");
    }
    return MirrorPodFactory.toRecord(pod);
  }

  @Override
  public boolean delete(PodKey key, String mirrorUid) {
    String path = "/api/v1/namespaces/" + key.namespace() + "/pods/" + key.name();
    String options =
        "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0,"
            + "\"preconditions\":{\"uid\":\""
            + mirrorUid
            + "\"}}";
    try {
      calls.call("delete mirror " + key, () -> client.raw(path, "DELETE", options));
      return true;
    } catch (ApiCallException e) {
      if (e.kind() == ApiErrorKind.NOT_FOUND || e.kind() == ApiErrorKind.CONFLICT) {
        return false;
      }
      throw e.toMirrorException();
    }
  }

  @Override
  public boolean writeStatus(PodKey key, String mirrorUid, PodStatusValue status) {
    return writePodStatus(key, mirrorUid, PodStatusRenderer.render(status));
  }

  /**
   * Writes {@code status} (an API object built in this module) to the pod with UID {@code uid};
   * false when it is gone or replaced.
   */
  boolean writePodStatus(PodKey key, String mirrorUid, PodStatus status) {
    String patch = statusPatch(mirrorUid, status);
    // resource(ref) rather than withName(): the latter GETs the pod before patching
    Pod ref =
        new PodBuilder()
            .withNewMetadata()
            .withName(key.name())
            .withNamespace(key.namespace())
            .endMetadata()
            .build();
    try {
      calls.call(
          "write status of mirror " + key,
          () ->
              client
                  .pods()
                  .inNamespace(key.namespace())
                  .resource(ref)
                  .subresource("status")
                  .patch(PatchContext.of(PatchType.JSON), patch));
      return true;
    } catch (ApiCallException e) {
      if (e.kind() == ApiErrorKind.NOT_FOUND || e.kind() == ApiErrorKind.CONFLICT) {
        return false;
      }
      if (e.kind() == ApiErrorKind.REJECTED && !stillThere(key, mirrorUid)) {
        return false; // the failed "test" of the UID: the mirror was replaced meanwhile
      }
      throw e.toMirrorException();
    }
  }

  private boolean stillThere(PodKey key, String mirrorUid) {
    try {
      Pod pod =
          calls.call(
              "get mirror " + key,
              () -> client.pods().inNamespace(key.namespace()).withName(key.name()).get());
      return pod != null && mirrorUid.equals(pod.getMetadata().getUid());
    } catch (ApiCallException e) {
      return true; // cannot tell: report the original refusal
    }
  }

  /**
   * A JSON patch (RFC 6902) of the status subresource: test that the object still has the mirror's
   * UID (the kubelet's precondition), then set the whole status, so fields we no longer report are
   * gone and conditions another writer changed are ours again. (A JSON merge patch would do, but
   * fabric8's mock server concatenates arrays in merge patches.)
   */
  String statusPatch(String mirrorUid, PodStatus status) {
    try {
      ArrayNode patch = JSON.createArrayNode();
      patch.addObject().put("op", "test").put("path", "/metadata/uid").put("value", mirrorUid);
      patch
          .addObject()
          .put("op", "add")
          .put("path", "/status")
          .set("value", JSON.readTree(client.getKubernetesSerialization().asJson(status)));
      return JSON.writeValueAsString(patch);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public AutoCloseable watch(MirrorListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public boolean cacheSynced() {
    SharedIndexInformer<Pod> current = informer;
    return current != null && current.hasSynced();
  }

  @Override
  public synchronized void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
