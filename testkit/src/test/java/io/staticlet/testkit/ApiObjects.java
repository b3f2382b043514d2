package io.staticlet.testkit;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JSON objects for the control-plane tests, and tiny readers for what the tests check. */
final class ApiObjects {

  private ApiObjects() {}

  /** A name unique within this run, e.g. {@code gc-node-3f9a1c}. */
  static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 6).toLowerCase(Locale.ROOT);
  }

  static String node(String name) {
    return """
                {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "%s", "labels": {"staticlet.io/e2e": "controlplane"}}}
                """
        .formatted(name);
  }

  /** A Node that reports Ready=True once, as a kubelet would on registration. */
  static String readyNode(String name, String nowRfc3339) {
    return """
                {"apiVersion": "v1", "kind": "Node",
                 "metadata": {"name": "%s", "labels": {"staticlet.io/e2e": "controlplane"}},
                 "status": {"conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                   "message": "e2e", "lastHeartbeatTime": "%s", "lastTransitionTime": "%s"}]}}
                """
        .formatted(name, nowRfc3339, nowRfc3339);
  }

  /**
   * A plain pod; {@code nodeName} may be null (unscheduled: no scheduler runs, it stays Pending).
   */
  static String pod(String namespace, String name, String nodeName) {
    return """
                {"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": "%s", "namespace": "%s"},
                 "spec": {%s"automountServiceAccountToken": false,
                   "containers": [{"name": "main", "image": "busybox:e2e", "command": ["sleep", "3600"]}]}}
                """
        .formatted(name, namespace, nodeName == null ? "" : "\"nodeName\": \"" + nodeName + "\", ");
  }

  /** A pod bound to {@code nodeName} and owned by that Node, without the mirror annotation. */
  static String podOwnedByNode(String namespace, String name, String nodeName, String nodeUid) {
    return """
                {"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": "%s", "namespace": "%s",
                   "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": "%s", "uid": "%s", "controller": true}]},
                 "spec": {"nodeName": "%s", "automountServiceAccountToken": false,
                   "containers": [{"name": "main", "image": "busybox:e2e", "command": ["sleep", "3600"]}]}}
                """
        .formatted(name, namespace, nodeName, nodeUid, nodeName);
  }

  /** What a kubelet (or staticlet) publishes for a static pod: a mirror pod owned by its Node. */
  static String mirrorPod(String namespace, String name, String nodeName, String nodeUid) {
    return """
                {"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": "%s", "namespace": "%s",
                   "annotations": {"kubernetes.io/config.mirror": "0123456789abcdef0123456789abcdef",
                                   "kubernetes.io/config.source": "file"},
                   "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": "%s", "uid": "%s", "controller": true}]},
                 "spec": {"nodeName": "%s",
                   "containers": [{"name": "main", "image": "busybox:e2e", "command": ["sleep", "3600"]}]}}
                """
        .formatted(name, namespace, nodeName, nodeUid, nodeName);
  }

  static String configMapOwnedByNode(
      String namespace, String name, String nodeName, String nodeUid) {
    return """
                {"apiVersion": "v1", "kind": "ConfigMap",
                 "metadata": {"name": "%s", "namespace": "%s",
                   "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": "%s", "uid": "%s"}]},
                 "data": {"k": "v"}}
                """
        .formatted(name, namespace, nodeName, nodeUid);
  }

  static String namespace(String name) {
    return """
                {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "%s"}}
                """
        .formatted(name);
  }

  static String deleteNowWithUid(String uid) {
    return """
                {"kind": "DeleteOptions", "apiVersion": "v1", "gracePeriodSeconds": 0, "preconditions": {"uid": "%s"}}
                """
        .formatted(uid);
  }

  /** The first string value of {@code "field": "..."} in a JSON text, or null. */
  static String stringField(String json, String field) {
    Matcher m =
        Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    return m.find() ? m.group(1) : null;
  }
}
