package io.staticlet.testkit;

import static io.staticlet.testkit.ApiObjects.uniqueName;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proves the harness is a real, secured Kubernetes v1.20.2 API server driven by the real kubectl.
 */
@ExtendWith(SharedControlPlane.class)
class ControlPlaneSmokeIT {

  @BeforeAll
  static void defaultServiceAccountExists(ControlPlane cp) {
    // created by kube-controller-manager shortly after start; pods need it for admission
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> cp.kubectl("get", "serviceaccount", "default", "-n", "default").succeeded());
  }

  @Test
  void kubectlVersionShowsServerV1202(ControlPlane cp) {
    Kubectl.Result plain = cp.kubectl("version");
    assertTrue(plain.succeeded(), plain::toString);
    assertTrue(plain.stdout().contains("Server Version: v1.20.2"), plain::toString);

    Kubectl.Result json = cp.kubectl("version", "-o", "json").orThrow();
    assertTrue(
        Pattern.compile(
                "\"serverVersion\"\\s*:\\s*\\{[^}]*\"gitVersion\"\\s*:\\s*\"v1\\.20\\.2\"",
                Pattern.DOTALL)
            .matcher(json.stdout())
            .find(),
        json::toString);
  }

  @Test
  void kubectlGetNodesSucceedsAsAdmin(ControlPlane cp) {
    String node = uniqueName("smoke-listed");
    cp.kubectlWithInput(ApiObjects.node(node), "create", "-f", "-").orThrow();

    Kubectl.Result nodes = cp.kubectl("get", "nodes");
    assertTrue(nodes.succeeded(), nodes::toString);
    assertTrue(nodes.stdout().contains(node), nodes::toString);

    cp.kubectl("delete", "node", node, "--wait=false").orThrow();
  }

  @Test
  void nodeCredentialsCannotCreateAPodThatIsNotAMirrorPod(ControlPlane cp) {
    String node = uniqueName("smoke-node");
    ApiClient asNode = cp.nodeApi(node);
    ApiClient.Response registered = asNode.post("/api/v1/nodes", ApiObjects.node(node));
    assertEquals(201, registered.status(), registered::toString);
    String nodeUid = ApiObjects.stringField(registered.body(), "uid");
    assertNotNull(nodeUid);

    // bound to itself and owned by itself, but no mirror annotation: NodeRestriction says no
    ApiClient.Response plainPod =
        asNode.post(
            "/api/v1/namespaces/default/pods",
            ApiObjects.podOwnedByNode("default", uniqueName("not-a-mirror"), node, nodeUid));
    assertEquals(403, plainPod.status(), plainPod::toString);
    assertTrue(plainPod.body().contains("can only create mirror pods"), plainPod::toString);

    // the same through kubectl, as a user would see it
    Kubectl.Result viaKubectl =
        cp.kubectlFor(cp.nodeKubeconfig(node))
            .run(
                ApiObjects.pod("default", uniqueName("not-a-mirror"), node),
                Kubectl.DEFAULT_TIMEOUT,
                "create",
                "-f",
                "-");
    assertFalse(viaKubectl.succeeded(), viaKubectl::toString);
    assertTrue(
        viaKubectl.stderr().contains("Forbidden") || viaKubectl.stderr().contains("forbidden"),
        viaKubectl::toString);

    // the mirror pod itself is allowed: the harness has the node authorizer's real semantics
    String mirror = uniqueName("mirror");
    ApiClient.Response mirrorPod =
        asNode.post(
            "/api/v1/namespaces/default/pods",
            ApiObjects.mirrorPod("default", mirror, node, nodeUid));
    assertEquals(201, mirrorPod.status(), mirrorPod::toString);

    cp.kubectl("delete", "pod", mirror, "--grace-period=0", "--force").orThrow();
    cp.kubectl("delete", "node", node, "--wait=false").orThrow();
  }

  /**
   * Catches the vendored reflect2 v1.0.1 trap: built with Go >= 1.18 the API server dies with
   * "fatal error: fault" in mapiternext on the first token-authenticated request.
   */
  @Test
  void apiServerSurvivesCertificateAndTokenAuthenticatedRequests(ControlPlane cp) throws Exception {
    long pidBefore = cp.pid("kube-apiserver").orElseThrow();
    ApiClient admin = cp.adminApi();
    String node = uniqueName("smoke-auth");
    ApiClient asNode = cp.nodeApi(node);
    assertEquals(201, asNode.post("/api/v1/nodes", ApiObjects.node(node)).status());

    String sa = uniqueName("probe");
    cp.kubectl("create", "serviceaccount", sa, "-n", "default").orThrow();
    String token = cp.kubectl("create", "token", sa, "-n", "default").orThrow().stdout().strip();
    assertFalse(token.isEmpty(), "kubectl create token returned nothing");
    ApiClient withToken = cp.tokenApi(token);

    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      answers.add("admin /api/v1/namespaces " + admin.get("/api/v1/namespaces").status());
      answers.add("admin /apis " + admin.get("/apis").status());
      answers.add(
          "node /api/v1/nodes/" + node + " " + asNode.get("/api/v1/nodes/" + node).status());
      answers.add(
          "node pods " + asNode.get("/api/v1/pods?fieldSelector=spec.nodeName%3D" + node).status());
      // authenticated as the service account; RBAC then forbids listing pods (403), which is fine
      answers.add("token pods " + withToken.get("/api/v1/namespaces/default/pods").status());
      answers.add(
          "token selfsubjectaccessreview "
              + withToken
                  .post(
                      "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                      "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectAccessReview\","
                          + "\"spec\":{\"resourceAttributes\":{\"verb\":\"get\",\"resource\":\"pods\"}}}")
                  .status());
    }
    for (String answer : answers) {
      assertFalse(answer.endsWith(" 401"), () -> "not authenticated: " + answer + " in " + answers);
    }
    assertTrue(answers.contains("token pods 403"), answers::toString);
    assertTrue(answers.contains("token selfsubjectaccessreview 201"), answers::toString);

    assertEquals(
        pidBefore,
        cp.pid("kube-apiserver").orElse(-1),
        "kube-apiserver process died or was restarted");
    ApiClient.Response healthz = admin.get("/healthz");
    assertEquals(200, healthz.status(), healthz::toString);
    assertEquals("ok", healthz.body());
    String log = Files.readString(cp.logFile("kube-apiserver"));
    assertFalse(
        log.contains("fatal error"),
        () -> "kube-apiserver log shows a Go runtime crash:\n" + cp.logTail("kube-apiserver", 60));

    cp.kubectl("delete", "serviceaccount", sa, "-n", "default").orThrow();
    cp.kubectl("delete", "node", node, "--wait=false").orThrow();
  }
}
