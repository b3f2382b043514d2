package io.staticlet.e2e.support;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built agent ({@code app/target/staticlet.jar}) as a separate process, as an operator runs it.
 * Its log goes to a file that survives restarts of the process, so a test can read everything the
 * agent said.
 */
public final class AgentProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String nodeName;
  private final Path manifestDir;
  private final Path rootDir;
  private final Path logFile;
  private final List<String> extraArgs;
  private final List<String> jvmArgs;
  private final int readOnlyPort;
  private final int healthzPort;
  private final Map<String, String> environment = new HashMap<>();
  private final int kubeletPort;
  private Process process;

  public AgentProcess(String nodeName, Path manifestDir, Path workDir, List<String> extraArgs) {
    this(nodeName, manifestDir, workDir, extraArgs, List.of("-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1"));
  }

  /** As above, with the given JVM options (e.g. the shipped unit's) instead of the test defaults. */
  public AgentProcess(String nodeName, Path manifestDir, Path workDir, List<String> extraArgs, List<String> jvmArgs) {
    this.jvmArgs = List.copyOf(jvmArgs);
    this.nodeName = nodeName;
    this.manifestDir = manifestDir;
    this.rootDir = workDir.resolve("root");
    this.logFile = workDir.resolve("agent.log");
    this.extraArgs = List.copyOf(extraArgs);
    this.readOnlyPort = freePort();
    this.healthzPort = freePort();
    int given = this.extraArgs.indexOf("--port");
    this.kubeletPort = given >= 0 ? Integer.parseInt(this.extraArgs.get(given + 1)) : freePort();
  }

  public static Path jar() {
    String jar = System.getProperty("staticlet.jar", "../app/target/staticlet.jar");
    Path path = Path.of(jar).toAbsolutePath().normalize();
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("the agent jar is missing: " + path + " (run mvn package first)");
    }
    return path;
  }

  public static Path repo() {
    return Path.of(System.getProperty("staticlet.repo", "..")).toAbsolutePath().normalize();
  }

  /** Extra environment variables for the process (e.g. {@code LD_PRELOAD}); call before {@link #start()}. */
  public AgentProcess withEnvironment(Map<String, String> variables) {
    environment.putAll(variables);
    return this;
  }

  /** Starts the process and waits until /healthz says ok. */
  public AgentProcess start() {
    List<String> cmd = new ArrayList<>(List.of("java"));
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-jar", jar().toString(),
        "--pod-manifest-path", manifestDir.toString(),
        "--hostname-override", nodeName,
        "--root-dir", rootDir.toString(),
        "--read-only-port", String.valueOf(readOnlyPort),
        "--healthz-port", String.valueOf(healthzPort),
        "--address", "127.0.0.1"));
    if (!extraArgs.contains("--port")) {
      cmd.addAll(List.of("--port", String.valueOf(kubeletPort)));
    }
    cmd.addAll(extraArgs);
    try {
      Files.createDirectories(logFile.getParent());
      ProcessBuilder builder = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      builder.environment().putAll(environment);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    await("agent /healthz").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          if (!process.isAlive()) {
            throw new AssertionError("agent exited with " + process.exitValue() + ":\n" + log());
          }
          return healthz().equals("ok");
        });
    return this;
  }

  public String healthz() {
    return get(healthzPort, "/healthz").orElse("");
  }

  /** Any path of the healthz port, e.g. {@code /healthz/cluster}; empty string when it does not answer. */
  public String healthz(String path) {
    return get(healthzPort, path).orElse("");
  }

  /** {@code GET /pods} from the read-only port. */
  public List<Pod> pods() {
    String body = get(readOnlyPort, "/pods").orElseThrow(() -> new AssertionError("/pods did not answer"));
    try {
      return JSON.readValue(body, PodList.class).getItems();
    } catch (IOException e) {
      throw new AssertionError("/pods is not a PodList: " + body, e);
    }
  }

  public Optional<Pod> pod(String name) {
    return pods().stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst();
  }

  /** {@code GET /metrics} (Prometheus text format). */
  public String metrics() {
    return get(readOnlyPort, "/metrics").orElse("");
  }

  public String rawPods() {
    return get(readOnlyPort, "/pods").orElse("");
  }

  private static Optional<String> get(int port, String path) {
    try {
      HttpResponse<String> response = HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(15)).build(),
          HttpResponse.BodyHandlers.ofString());
      return Optional.of(response.body());
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  public String log() {
    try {
      return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e.getMessage() + ")";
    }
  }

  public Path logFile() {
    return logFile;
  }

  public String nodeName() {
    return nodeName;
  }

  public Path rootDir() {
    return rootDir;
  }

  /** The kubelet API's port (HTTPS). */
  public int kubeletPort() {
    return kubeletPort;
  }

  public int readOnlyPort() {
    return readOnlyPort;
  }

  public int healthzPort() {
    return healthzPort;
  }

  /** The process id, for signals and {@code jcmd}. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL, as a crash would. */
  public void kill9() {
    process.destroyForcibly();
    waitFor();
  }

  /** SIGTERM: a clean shutdown that leaves the pods running. */
  public int stop() {
    process.destroy();
    return waitFor();
  }

  private int waitFor() {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public void close() {
    if (isAlive()) {
      stop();
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
