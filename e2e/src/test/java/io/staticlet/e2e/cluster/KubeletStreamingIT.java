package io.staticlet.e2e.cluster;

import static io.staticlet.e2e.cluster.KubeletApiNode.curl;
import static io.staticlet.e2e.cluster.NodeUnderTest.runningAndReady;
import static io.staticlet.e2e.cluster.NodeUnderTest.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.e2e.cluster.KubeletApiNode.Answer;
import io.staticlet.e2e.controlplane.ControlPlaneExtension;
import io.staticlet.testkit.Commands;
import io.staticlet.testkit.ControlPlane;
import io.staticlet.testkit.FreePorts;
import io.staticlet.testkit.Kubectl;
import io.staticlet.testkit.Manifests;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #11 acceptance 2 and 3: {@code kubectl exec} (exit code, stdin, a terminal driven through
 * tmux), {@code kubectl attach} and {@code kubectl port-forward}, from the real kubectl 1.32
 * through the real kube-apiserver to the agent's kubelet API (SPDY/3.1 after the refused WebSocket
 * attempt).
 */
@ExtendWith(ControlPlaneExtension.class)
class KubeletStreamingIT {
  private static final Duration STREAM_TIMEOUT = Duration.ofSeconds(60);

  @TempDir static Path work;
  private static NodeUnderTest n;
  private static int port;

  @BeforeAll
  static void startAgent(ControlPlane cp) throws IOException {
    port = FreePorts.next();
    n = KubeletApiNode.start(cp, work, port);
    n.runService("shell");
    within(Duration.ofSeconds(60)).until(() -> runningAndReady(n.mirror("shell")));
  }

  @AfterAll
  static void stopAgent() {
    if (n != null) {
      n.close();
      n = null;
    }
  }

  @Test
  void execPrintsTheOutputAndExitsWithTheCommandsExitCode() {
    Kubectl.Result r =
        n.kubectl("exec", n.podName("shell"), "--", "sh", "-c", "echo x; echo y >&2; exit 3");
    assertEquals("x\n", r.stdout(), r.toString());
    assertTrue(r.stderr().contains("y\n"), r.toString());
    assertEquals(3, r.exitCode(), r.toString());

    Kubectl.Result ok = n.kubectl("exec", n.podName("shell"), "-c", "app", "--", "true");
    assertEquals(0, ok.exitCode(), ok.toString());
  }

  @Test
  void execWithStdinPassesTheInputAndItsEnd() {
    Kubectl.Result r =
        n.cp
            .kubectlFor(n.cp.adminKubeconfig())
            .run("data\n", STREAM_TIMEOUT, "exec", "-i", n.podName("shell"), "--", "cat");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals("data\n", r.stdout(), r.toString());
  }

  @Test
  void largeOutputAndInputArriveWhole() {
    Kubectl kubectl = n.cp.kubectlFor(n.cp.adminKubeconfig());
    Kubectl.Result out =
        kubectl.run(
            null,
            STREAM_TIMEOUT,
            "exec",
            n.podName("shell"),
            "--",
            "sh",
            "-c",
            "head -c 3000000 /dev/zero | tr '\\0' x");
    assertEquals(0, out.exitCode(), out.stderr());
    assertEquals(3_000_000, out.stdout().length());
    assertTrue(out.stdout().chars().allMatch(c -> c == 'x'));

    Kubectl.Result in =
        kubectl.run(
            "y".repeat(1_000_000),
            STREAM_TIMEOUT,
            "exec",
            "-i",
            n.podName("shell"),
            "--",
            "wc",
            "-c");
    assertEquals(0, in.exitCode(), in.toString());
    assertEquals("1000000", in.stdout().trim());
  }

  @Test
  void execWithATerminalRunsAnInteractiveShell() throws Exception {
    Kubectl kubectl = n.cp.kubectlFor(n.cp.adminKubeconfig());
    String session = "e2e-tty-" + UUID.randomUUID().toString().substring(0, 8);
    String command =
        kubectl.binary()
            + " --kubeconfig="
            + kubectl.kubeconfig()
            + " exec -it "
            + n.podName("shell")
            + " -- sh; echo kubectl-exited=$?; sleep 600";
    tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command);
    try {
      within(STREAM_TIMEOUT).until(() -> pane(session).contains("#"));
      tmux("send-keys", "-t", session, "echo $((6*7)); stty size", "Enter");
      within(STREAM_TIMEOUT)
          .until(() -> pane(session).lines().anyMatch(l -> l.trim().equals("42")));
      assertTrue(
          pane(session).lines().anyMatch(l -> l.trim().equals("30 100")),
          "the terminal size reached the shell: " + pane(session));
      tmux("send-keys", "-t", session, "exit", "Enter");
      within(STREAM_TIMEOUT).until(() -> pane(session).contains("kubectl-exited=0"));
    } finally {
      tmux("kill-session", "-t", session);
    }
  }

  @Test
  void runAnswersTheCommandsOutput() {
    String cert = n.cp.kubeletClientCertificate().toString();
    String key = n.cp.kubeletClientKey().toString();
    String url = "https://127.0.0.1:" + port + "/run/default/" + n.podName("shell") + "/app";
    assertEquals(
        new Answer(200, "hello from run"),
        curl("POST", url + "?cmd=echo%20hello%20from%20run", "--cert", cert, "--key", key));
    assertEquals(405, curl("GET", url + "?cmd=true", "--cert", cert, "--key", key).status());
  }

  @Test
  void aWebSocketUpgradeIsRefusedQuickly() {
    Answer answer =
        curl(
            "GET",
            "https://127.0.0.1:"
                + port
                + "/exec/default/"
                + n.podName("shell")
                + "/app?command=true&output=1",
            "--cert",
            n.cp.kubeletClientCertificate().toString(),
            "--key",
            n.cp.kubeletClientKey().toString(),
            "-H",
            "Connection: Upgrade",
            "-H",
            "Upgrade: websocket",
            "-H",
            "Sec-WebSocket-Version: 13",
            "-H",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
            "-H",
            "Sec-WebSocket-Protocol: v5.channel.k8s.io");
    assertEquals(400, answer.status(), answer.toString());
  }

  @Test
  void portForwardToAHostNetworkPodReachesTheHostsLoopback() throws Exception {
    int target = FreePorts.next();
    n.write(
        "hostweb",
        Manifests.pod(
            "hostweb",
            "mkdir -p /tmp/www && echo hello-from-host-network > /tmp/www/index.html"
                + " && exec httpd -f -p 127.0.0.1:"
                + target
                + " -h /tmp/www",
            "hostNetwork: true"));
    within(Duration.ofSeconds(60)).until(() -> runningAndReady(n.mirror("hostweb")));
    int local = FreePorts.next();
    List<String> seen = new CopyOnWriteArrayList<>();
    Process forward =
        start(
            n.cp.kubectlFor(n.cp.adminKubeconfig()),
            seen,
            "port-forward",
            "pod/" + n.podName("hostweb"),
            local + ":" + target);
    try {
      within(STREAM_TIMEOUT)
          .until(
              () -> seen.stream().anyMatch(l -> l.contains("Forwarding from 127.0.0.1:" + local)));
      String body =
          within(STREAM_TIMEOUT)
              .ignoreExceptions()
              .until(() -> get(local), b -> b.contains("hello-from-host-network"));
      assertTrue(body.startsWith("HTTP/1."), body);
    } finally {
      forward.destroy();
      forward.waitFor(10, TimeUnit.SECONDS);
      n.remove("hostweb");
    }
  }

  private static String get(int localPort) throws IOException {
    try (Socket s = new Socket("127.0.0.1", localPort)) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      return readAll(s.getInputStream());
    }
  }

  @Test
  void attachConnectsToAContainerWithStdin() throws IOException {
    n.write(
        "reader",
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: reader
        spec:
          terminationGracePeriodSeconds: 5
          containers:
          - name: app
            image: %s
            stdin: true
            stdinOnce: true
            command: ["sh", "-c", "while read l; do echo got $l; done; echo bye; sleep 3600"]
        """
            .formatted(Manifests.IMAGE));
    within(Duration.ofSeconds(60)).until(() -> runningAndReady(n.mirror("reader")));
    Kubectl kubectl = n.cp.kubectlFor(n.cp.adminKubeconfig());
    List<String> seen = new CopyOnWriteArrayList<>();
    Process attach = start(kubectl, seen, "attach", "-i", n.podName("reader"), "-c", "app");
    try {
      try (OutputStream in = attach.getOutputStream()) {
        in.write("hello\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        within(STREAM_TIMEOUT).until(() -> seen.contains("got hello"));
      }
      // stdinOnce: the end of our input closes the container's stdin, the loop ends
      within(STREAM_TIMEOUT).until(() -> seen.contains("bye"));
    } finally {
      attach.destroy();
    }
  }

  @Test
  void portForwardReachesALocalhostOnlyServerInThePodOverTwoConcurrentConnections()
      throws Exception {
    n.write(
        "web",
        Manifests.pod(
            "web",
            "mkdir -p /www && echo hello-from-pod > /www/index.html && exec httpd -f -p 127.0.0.1:8080 -h /www"));
    within(Duration.ofSeconds(60)).until(() -> runningAndReady(n.mirror("web")));
    int local = FreePorts.next();
    Kubectl kubectl = n.cp.kubectlFor(n.cp.adminKubeconfig());
    List<String> seen = new CopyOnWriteArrayList<>();
    Process forward =
        start(kubectl, seen, "port-forward", "pod/" + n.podName("web"), local + ":8080");
    try {
      within(STREAM_TIMEOUT)
          .until(
              () -> seen.stream().anyMatch(l -> l.contains("Forwarding from 127.0.0.1:" + local)));
      try (Socket a = new Socket("127.0.0.1", local);
          Socket b = new Socket("127.0.0.1", local)) {
        a.setSoTimeout(30_000);
        b.setSoTimeout(30_000);
        for (Socket s : List.of(a, b)) {
          s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
        }
        String second = readAll(b.getInputStream());
        String first = readAll(a.getInputStream());
        assertTrue(first.startsWith("HTTP/1.") && first.contains("hello-from-pod"), first);
        assertTrue(second.startsWith("HTTP/1.") && second.contains("hello-from-pod"), second);
      }
      assertTrue(forward.isAlive(), "kubectl port-forward is still running: " + seen);
    } finally {
      forward.destroy();
      forward.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Process start(Kubectl kubectl, List<String> lines, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(kubectl.binary().toString(), "--kubeconfig=" + kubectl.kubeconfig()));
    cmd.addAll(List.of(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().remove("KUBECONFIG");
      Process p = pb.start();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  // the process was stopped
                }
              },
              "kubectl-output");
      reader.setDaemon(true);
      reader.start();
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  private static String pane(String session) {
    return tmux("capture-pane", "-p", "-t", session);
  }

  private static String tmux(String... args) {
    List<String> cmd = new ArrayList<>(List.of("tmux"));
    cmd.addAll(List.of(args));
    return Commands.result(cmd, Duration.ofSeconds(10)).stdout();
  }
}
