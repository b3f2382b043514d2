package io.staticlet.mirror;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes node status every {@code nodeStatusUpdateFrequency} and writes it through the status
 * subresource only when it changed or {@code nodeStatusReportFrequency} passed (kubelet {@code
 * tryUpdateNodeStatus}); a heartbeat time alone is not a change. Conditions other writers put on
 * the Node are kept. A 404 means the Node is gone ({@link NodeState}).
 *
 * <p>Concurrency contract: {@link #tick()} and {@link #tickUntilReady()} run on the cluster loops'
 * scheduler (periodic, and at once when the Node appears, the API server is back or the server's
 * conditions differ) and block for one API call (within the client's request timeout); they hold
 * this object's monitor, so two ticks never overlap and the last written status is owned here.
 * {@link #writes()} may be read from any thread.
 */
final class NodeStatusReporter {
  private static final Logger log = LoggerFactory.getLogger(NodeStatusReporter.class);

  private final KubernetesClient client;
  private final ApiCalls calls;
  private final NodeFactory factory;
  private final NodeState state;
  private final ClusterSettings settings;
  private final Clock clock;
  private NodeStatus lastWritten; // guarded by this
  private String lastUid; // guarded by this
  private Instant lastWrittenAt = Instant.MIN; // guarded by this
  private int writes; // guarded by this
  private boolean readyWritten; // guarded by this

  NodeStatusReporter(
      KubernetesClient client,
      ApiCalls calls,
      NodeFactory factory,
      NodeState state,
      ClusterSettings settings,
      Clock clock) {
    this.client = client;
    this.calls = calls;
    this.factory = factory;
    this.state = state;
    this.settings = settings;
    this.clock = clock;
  }

  /** One status pass: compute, and write if it is worth it. */
  synchronized void tick() {
    Optional<String> uid = state.uid();
    if (uid.isEmpty()) {
      return;
    }
    NodeStatus next = factory.status(lastWritten);
    Instant now = clock.instant();
    boolean due = !now.isBefore(lastWrittenAt.plus(settings.heartbeats().statusReport()));
    if (!due
        && uid.get().equals(lastUid)
        && NodeFactory.sameIgnoringHeartbeats(lastWritten, next)
        && !serverDisagrees(next)) {
      return;
    }
    try {
      Node written =
          calls.call(
              "update status of node " + settings.nodeName(),
              () ->
                  client
                      .nodes()
                      .withName(settings.nodeName())
                      .editStatus(current -> merged(current, next)));
      lastWritten = next;
      lastUid = written.getMetadata().getUid();
      lastWrittenAt = now;
      writes++;
      readyWritten |= "True".equals(readyOf(next));
      state.observed(lastUid);
      log.debug("node status written node={} ready={}", settings.nodeName(), readyOf(next));
    } catch (ApiCallException e) {
      if (e.kind() == ApiErrorKind.NOT_FOUND) {
        lastWritten = null;
        state.gone(uid.get());
      } else if (!Thread.currentThread().isInterrupted()) {
        log.warn(
            "node status update failed, will retry node={} reason={}",
            settings.nodeName(),
            e.getMessage());
      }
    }
  }

  /**
   * The kubelet's {@code fastStatusUpdateOnce}: until a Ready status has been written once (e.g.
   * the container engine answered only after registration), check often instead of every 10 s.
   * Returns true once that is done.
   */
  synchronized boolean tickUntilReady() {
    if (!readyWritten) {
      tick();
    }
    return readyWritten;
  }

  /**
   * The server shows our conditions with other statuses than we wrote: the node lifecycle
   * controller set Ready=Unknown while we could not reach the API server. Compared like the kubelet
   * compares with the API server's copy, so it is set right at the next pass.
   */
  private boolean serverDisagrees(NodeStatus ours) {
    Map<String, String> server = state.serverConditions();
    if (server.isEmpty()) {
      return false;
    }
    for (NodeCondition c : ours.getConditions()) {
      String there = server.get(c.getType());
      if (there != null && !there.equals(c.getStatus())) {
        return true;
      }
    }
    return false;
  }

  /** How many status writes succeeded (tests, metrics). */
  synchronized int writes() {
    return writes;
  }

  /** {@code current} with our status; conditions of types we do not own stay. */
  private static Node merged(Node current, NodeStatus ours) {
    Node copy = new NodeBuilder(current).build();
    List<NodeCondition> conditions = new ArrayList<>(ours.getConditions());
    Set<String> ownTypes = new HashSet<>();
    ours.getConditions().forEach(c -> ownTypes.add(c.getType()));
    if (current.getStatus() != null && current.getStatus().getConditions() != null) {
      for (NodeCondition c : current.getStatus().getConditions()) {
        if (!ownTypes.contains(c.getType())) {
          conditions.add(c);
        }
      }
    }
    NodeStatus status = copy.getStatus() == null ? new NodeStatus() : copy.getStatus();
    status.setAddresses(ours.getAddresses());
    status.setCapacity(ours.getCapacity());
    status.setAllocatable(ours.getAllocatable());
    status.setDaemonEndpoints(ours.getDaemonEndpoints());
    status.setNodeInfo(ours.getNodeInfo());
    status.setConditions(conditions);
    copy.setStatus(status);
    return copy;
  }

  private static String readyOf(NodeStatus status) {
    return status.getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(NodeCondition::getStatus)
        .findFirst()
        .orElse("Unknown");
  }
}
