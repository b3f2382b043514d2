package io.staticlet.e2e.cluster;

import static io.staticlet.e2e.cluster.KubeletApiNode.curl;
import static io.staticlet.e2e.cluster.NodeUnderTest.restarts;
import static io.staticlet.e2e.cluster.NodeUnderTest.runningAndReady;
import static io.staticlet.e2e.cluster.NodeUnderTest.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.staticlet.e2e.cluster.KubeletApiNode.Answer;
import io.staticlet.e2e.controlplane.ControlPlaneExtension;
import io.staticlet.testkit.ControlPlane;
import io.staticlet.testkit.FreePorts;
import io.staticlet.testkit.Kubectl;
import io.staticlet.testkit.Manifests;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #11 acceptance 1, 4 and 5: the kubelet API on a non-default port with kubeadm's
 * authentication settings (x509 client CA = the cluster CA, webhook TokenReview, anonymous off,
 * authorization Webhook), reached by the real kube-apiserver (its kubelet client certificate) and
 * the real kubectl.
 */
@ExtendWith(ControlPlaneExtension.class)
class KubeletApiIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TICK = Pattern.compile("tick (\\d+)");
  private static final Pattern TIMESTAMPED =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z tick \\d+");

  @TempDir static Path work;
  private static NodeUnderTest n;
  private static int port;

  @BeforeAll
  static void startAgent(ControlPlane cp) throws IOException {
    port = FreePorts.next();
    n = KubeletApiNode.start(cp, work, port);
  }

  @AfterAll
  static void stopAgent() {
    if (n != null) {
      n.close();
      n = null;
    }
  }

  @Test
  void kubectlLogsOfAMirrorWithTailTimestampsSinceAndFollow() throws Exception {
    n.write(
        "talker",
        Manifests.pod(
            "talker",
            "echo first; echo second >&2; i=0; while true; do i=$((i+1)); echo \"tick $i\"; sleep 1; done"));
    String pod = n.podName("talker");
    within(Duration.ofSeconds(60)).until(() -> runningAndReady(n.mirror("talker")));
    within(Duration.ofSeconds(60)).until(() -> lastTick(n.kubectl("logs", pod).stdout()) >= 4);

    String all = n.kubectl("logs", pod).orThrow().stdout();
    assertTrue(all.startsWith("first\n") || all.startsWith("second\n"), all);
    assertTrue(
        all.contains("first\n") && all.contains("second\n") && all.contains("tick 1\n"), all);

    String limited = n.kubectl("logs", pod, "--limit-bytes=6").orThrow().stdout();
    assertTrue(limited.equals("first\n") || limited.equals("second"), limited);

    List<String> tail = lines(n.kubectl("logs", pod, "--tail=2").orThrow().stdout());
    assertEquals(2, tail.size(), tail.toString());
    assertTrue(tail.stream().allMatch(l -> TICK.matcher(l).matches()), tail.toString());

    List<String> stamped =
        lines(n.kubectl("logs", pod, "--timestamps", "--tail=3").orThrow().stdout());
    assertEquals(3, stamped.size(), stamped.toString());
    assertTrue(
        stamped.stream().allMatch(l -> TIMESTAMPED.matcher(l).matches()), stamped.toString());

    // --since-time / --since: only what came later
    Instant cut = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    int before = lastTick(n.kubectl("logs", pod).stdout());
    within(Duration.ofSeconds(30))
        .until(() -> lastTick(n.kubectl("logs", pod).stdout()) >= before + 3);
    String since = n.kubectl("logs", pod, "--since-time=" + cut).orThrow().stdout();
    assertFalse(since.contains("first") || since.contains("tick 1\n"), since);
    assertTrue(
        firstTick(since) > before - 2,
        "since " + cut + " (tick " + before + " before it): " + since);
    String recent = n.kubectl("logs", pod, "--since=2s").orThrow().stdout();
    assertFalse(recent.contains("first"), recent);
    assertTrue(lastTick(recent) > 0, recent);

    // -f: lines arrive while kubectl runs
    Kubectl kubectl = n.cp.kubectlFor(n.cp.adminKubeconfig());
    Process follow =
        new ProcessBuilder(
                kubectl.binary().toString(),
                "--kubeconfig=" + kubectl.kubeconfig(),
                "logs",
                "-f",
                "--tail=1",
                pod)
            .redirectErrorStream(true)
            .start();
    List<String> followed = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  followed.add(line);
                }
              } catch (IOException e) {
                // the process was stopped
              }
            });
    reader.start();
    try {
      within(Duration.ofSeconds(30)).until(() -> !followed.isEmpty());
      int firstSeen = lastTick(followed.get(0));
      within(Duration.ofSeconds(30))
          .until(
              () -> followed.size() >= 3 && lastTick(String.join("\n", followed)) >= firstSeen + 2);
      assertTrue(follow.isAlive(), "kubectl logs -f ended: " + followed);
    } finally {
      follow.destroy();
      follow.waitFor(10, TimeUnit.SECONDS);
      reader.join(10_000);
    }
    List<String> seen = new ArrayList<>(followed);
    assertTrue(seen.stream().allMatch(l -> TICK.matcher(l).matches()), seen.toString());
  }

  @Test
  void kubectlLogsPreviousShowsTheCrashedInstance() {
    n.write(
        "crasher",
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: crasher
        spec:
          terminationGracePeriodSeconds: 5
          volumes:
          - name: state
            emptyDir: {}
          containers:
          - name: app
            image: %s
            command: ["sh", "-c", "if [ -f /state/ran ]; then echo second run; exec sleep 3600; else touch /state/ran; echo first run; exit 3; fi"]
            volumeMounts:
            - name: state
              mountPath: /state
        """
            .formatted(Manifests.IMAGE));
    String pod = n.podName("crasher");
    within(Duration.ofSeconds(90))
        .until(
            () -> runningAndReady(n.mirror("crasher")) && restarts(n.mirrorOrFail("crasher")) >= 1);

    assertEquals("first run\n", n.kubectl("logs", pod, "--previous").orThrow().stdout());
    assertEquals("second run\n", n.kubectl("logs", pod).orThrow().stdout());
    Kubectl.Result unknown = n.kubectl("logs", pod, "-c", "nope");
    assertFalse(unknown.succeeded(), unknown.toString());
  }

  @Test
  void configzThroughTheApiServersNodeProxyShowsTheStaticPodPath() throws IOException {
    String raw =
        n.kubectl("get", "--raw", "/api/v1/nodes/" + n.node + "/proxy/configz").orThrow().stdout();
    JsonNode kc = JSON.readTree(raw).get("kubeletconfig");
    assertEquals(
        n.manifests.toAbsolutePath().normalize().toString(), kc.get("staticPodPath").asText(), raw);
    assertEquals(port, kc.get("port").asInt(), raw);
    assertEquals("Webhook", kc.at("/authorization/mode").asText(), raw);
    assertFalse(kc.at("/authentication/anonymous/enabled").asBoolean(), raw);
    assertEquals("cgroupfs", kc.get("cgroupDriver").asText(), raw);

    String node =
        n.kubectl(
                "get",
                "node",
                n.node,
                "-o",
                "jsonpath={.status.daemonEndpoints.kubeletEndpoint.Port}")
            .orThrow()
            .stdout();
    assertEquals(String.valueOf(port), node);
  }

  @Test
  void resourceMetricsAndStatsSummaryThroughTheApiServer() throws IOException {
    n.write("busy", Manifests.service("busy"));
    String pod = n.podName("busy");
    within(Duration.ofSeconds(60)).until(() -> runningAndReady(n.mirror("busy")));

    String metrics =
        n.kubectl("get", "--raw", "/api/v1/nodes/" + n.node + "/proxy/metrics/resource")
            .orThrow()
            .stdout();
    assertTrue(
        metrics.contains(
            "container_memory_working_set_bytes{container=\"app\",namespace=\"default\",pod=\""
                + pod
                + "\"}"),
        metrics);
    assertTrue(
        metrics.contains(
            "container_cpu_usage_seconds_total{container=\"app\",namespace=\"default\",pod=\""
                + pod
                + "\"}"),
        metrics);
    assertTrue(
        Pattern.compile("(?m)^node_cpu_usage_seconds_total [0-9.e+]+ \\d+$")
            .matcher(metrics)
            .find(),
        metrics);
    assertTrue(
        Pattern.compile("(?m)^node_memory_working_set_bytes [0-9.e+]+ \\d+$")
            .matcher(metrics)
            .find(),
        metrics);
    assertTrue(metrics.contains("\nscrape_error 0\n"), metrics);

    JsonNode summary =
        JSON.readTree(
            n.kubectl(
                    "get",
                    "--raw",
                    "/api/v1/nodes/" + n.node + "/proxy/stats/summary?only_cpu_and_memory=true")
                .orThrow()
                .stdout());
    assertEquals(n.node, summary.at("/node/nodeName").asText());
    assertTrue(summary.at("/node/memory/workingSetBytes").asLong() > 0, summary.toString());
    JsonNode busy = null;
    for (JsonNode p : summary.get("pods")) {
      if (p.at("/podRef/name").asText().equals(pod)) {
        busy = p;
      }
    }
    assertTrue(busy != null, summary.toString());
    assertEquals("app", busy.at("/containers/0/name").asText(), busy.toString());
    assertTrue(busy.at("/containers/0/memory/workingSetBytes").asLong() > 0, busy.toString());
    assertTrue(busy.at("/containers/0/cpu/usageCoreNanoSeconds").asLong() > 0, busy.toString());
  }

  @Test
  void anonymousIsUnauthorizedTheApiServersCertificateIsAllowedAnotherNodeIsForbidden() {
    String url = "https://127.0.0.1:" + port;
    assertEquals(new Answer(401, "Unauthorized"), curl("GET", url + "/pods"));
    assertEquals(
        401, curl("GET", url + "/pods", "-H", "Authorization: Bearer not-a-token").status());

    Answer pods =
        curl(
            "GET",
            url + "/pods",
            "--cert",
            n.cp.kubeletClientCertificate().toString(),
            "--key",
            n.cp.kubeletClientKey().toString());
    assertEquals(200, pods.status(), pods.body());
    assertTrue(pods.body().contains("\"kind\":\"PodList\""), pods.body());
    assertEquals(
        new Answer(200, "ok"),
        curl(
            "GET",
            url + "/healthz",
            "--cert",
            n.cp.kubeletClientCertificate().toString(),
            "--key",
            n.cp.kubeletClientKey().toString()));

    // a service account's token: authenticated by a TokenReview, then denied by the
    // SubjectAccessReview
    within(Duration.ofSeconds(60))
        .until(() -> n.kubectl("get", "serviceaccount", "default").succeeded());
    String token = n.kubectl("create", "token", "default").orThrow().stdout().trim();
    assertEquals(
        new Answer(
            403,
            "Forbidden (user=system:serviceaccount:default:default, verb=get, resource=nodes, subresource=proxy)"),
        curl("GET", url + "/pods", "-H", "Authorization: Bearer " + token));

    String other = n.node + "-other";
    n.cp.nodeKubeconfig(other);
    Answer exec =
        curl(
            "POST",
            url + "/exec/default/" + n.podName("talker") + "/app?command=true&output=1",
            "--cert",
            n.cp.nodeCertificate(other).toString(),
            "--key",
            n.cp.nodeKey(other).toString());
    assertEquals(
        new Answer(
            403,
            "Forbidden (user=system:node:"
                + other
                + ", verb=create, resource=nodes, subresource=proxy)"),
        exec);
    Answer stats =
        curl(
            "GET",
            url + "/stats/summary",
            "--cert",
            n.cp.nodeCertificate(other).toString(),
            "--key",
            n.cp.nodeKey(other).toString());
    assertEquals(
        new Answer(
            403,
            "Forbidden (user=system:node:"
                + other
                + ", verb=get, resource=nodes, subresource=stats)"),
        stats);
  }

  private static List<String> lines(String text) {
    return text.lines().filter(l -> !l.isBlank()).toList();
  }

  private static int lastTick(String text) {
    Matcher m = TICK.matcher(text);
    int last = -1;
    while (m.find()) {
      last = Integer.parseInt(m.group(1));
    }
    return last;
  }

  private static int firstTick(String text) {
    Matcher m = TICK.matcher(text);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }
}
