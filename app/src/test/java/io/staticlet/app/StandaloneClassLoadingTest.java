package io.staticlet.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.app.config.CommandLine;
import io.staticlet.core.testing.FakeContainerRuntime;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone agent (no kubeconfig) loads none of the cluster side: not the API client, not its
 * HTTP client, not {@link ClusterMode} or the mirror module's {@code ClusterAgent}. Run in a JVM of
 * its own with {@code -Xlog:class+load}, since a class once loaded stays loaded; the fabric8 client
 * is on that JVM's class path, so only the wiring keeps it out.
 */
class StandaloneClassLoadingTest {
  @TempDir Path dir;

  @Test
  void aStandaloneAgentLoadsNoClusterClass() throws Exception {
    Path log = dir.resolve("class-load.txt");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load:file=" + log,
                "-cp",
                System.getProperty("java.class.path"),
                StandaloneAgent.class.getName(),
                dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    assertTrue(child.waitFor(90, TimeUnit.SECONDS), "the standalone agent did not finish");
    assertEquals(0, child.exitValue(), Files.readString(dir.resolve("child.log")));

    List<String> loaded =
        Files.readAllLines(log).stream()
            .filter(l -> l.contains("[class,load]"))
            .map(
                l ->
                    l.substring(l.indexOf("[class,load]") + "[class,load]".length())
                        .trim()
                        .split(" ")[0])
            .toList();
    assertTrue(
        loaded.contains(Agent.class.getName()) && loaded.contains("io.staticlet.app.ClusterHealth"),
        "the log covers the agent and its /healthz/cluster route");
    List<String> cluster =
        loaded.stream()
            .filter(
                c ->
                    c.startsWith("io.fabric8.kubernetes.client.")
                        || c.startsWith("io.vertx.")
                        || c.equals(ClusterMode.class.getName())
                        || c.startsWith("io.staticlet.mirror.Cluster"))
            .toList();
    assertEquals(List.of(), cluster, "cluster classes loaded by a standalone agent");
  }

  /**
   * Starts a standalone agent on a fake engine with one pod, asks every endpoint once, stops it.
   */
  public static final class StandaloneAgent {
    public static void main(String[] args) throws Exception {
      Path dir = Path.of(args[0]);
      Path manifests = Files.createDirectories(dir.resolve("manifests"));
      Files.writeString(
          manifests.resolve("web.yaml"),
          "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
              + "  containers:\n  - name: c\n    image: busybox:1.36\n    command: [\"sleep\", \"3600\"]\n");
      int readOnly = freePort();
      CommandLine flags =
          CommandLine.parsed(
              "--pod-manifest-path",
              manifests.toString(),
              "--root-dir",
              dir.resolve("root").toString(),
              "--hostname-override",
              "n1",
              "--healthz-port",
              "0",
              "--read-only-port",
              String.valueOf(readOnly),
              "--address",
              "127.0.0.1",
              "--port",
              String.valueOf(freePort()));
      HttpClient http = HttpClient.newHttpClient();
      try (Agent agent = new Agent(flags.toConfig(), new FakeContainerRuntime(Clock.systemUTC()))) {
        agent.start();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> get(http, readOnly, "/pods").contains("web-n1"));
        for (String path : List.of("/healthz", "/healthz/cluster", "/metrics")) {
          get(http, readOnly, path);
        }
      }
      System.exit(0); // the agent's pools are not all daemon threads
    }

    private static String get(HttpClient http, int port, String path)
        throws IOException, InterruptedException {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    }

    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      }
    }
  }
}
