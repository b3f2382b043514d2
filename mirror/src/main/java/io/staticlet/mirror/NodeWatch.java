package io.staticlet.mirror;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Informer on this node's own Node object ({@code fieldSelector=metadata.name=<node>}, which node
 * credentials may list and watch) that keeps {@link NodeState} current: a deleted Node is noticed
 * within moments, not at the next status write.
 *
 * <p>Concurrency contract: fabric8's informer thread runs the handlers, which only record into
 * {@link NodeState} (whose listeners only schedule or enqueue) and never block. {@link #start()}
 * and {@link #close()} are called by ClusterLoops and never block on the network.
 */
final class NodeWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeWatch.class);

  private final KubernetesClient client;
  private final NodeState state;
  private final ApiHealth health;
  private SharedIndexInformer<Node> informer;

  NodeWatch(KubernetesClient client, NodeState state, ApiHealth health) {
    this.client = client;
    this.state = state;
    this.health = health;
  }

  /** Starts listing and watching in the background; never blocks, retries forever. */
  synchronized void start() {
    informer = client.nodes().withField("metadata.name", state.nodeName()).runnableInformer(0);
    informer.exceptionHandler(
        (started, t) -> {
          health.unreachable("watch node", "watch node " + state.nodeName() + ": " + t);
          log.debug("node watch failed, retrying node={}", state.nodeName(), t);
          return true;
        });
    informer.addEventHandler(
        new ResourceEventHandler<Node>() {
          @Override
          public void onAdd(Node node) {
            seen(node);
          }

          @Override
          public void onUpdate(Node oldNode, Node node) {
            seen(node);
          }

          @Override
          public void onDelete(Node node, boolean finalStateUnknown) {
            if (isOurs(node)) {
              state.gone(node.getMetadata().getUid());
            }
          }
        });
    informer.start();
  }

  private void seen(Node node) {
    if (!isOurs(node)) {
      return;
    }
    if (node.getMetadata().getDeletionTimestamp() != null) {
      state.gone(node.getMetadata().getUid());
    } else {
      state.observed(node.getMetadata().getUid());
      Map<String, String> conditions = new HashMap<>();
      if (node.getStatus() != null && node.getStatus().getConditions() != null) {
        node.getStatus().getConditions().forEach(c -> conditions.put(c.getType(), c.getStatus()));
      }
      state.serverConditions(conditions);
    }
  }

  private boolean isOurs(Node node) {
    return node != null
        && node.getMetadata() != null
        && state.nodeName().equals(node.getMetadata().getName())
        && node.getMetadata().getUid() != null;
  }

  @Override
  public synchronized void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
