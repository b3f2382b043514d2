package io.staticlet.testkit;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The built agent as a separate process, started as an operator runs it ({@link AgentLaunch}), and
 * what a user sees of it: {@code /healthz}, {@code /pods}, {@code /metrics}, its log. The log is
 * one file that survives restarts (each start appends a header line with the command), so
 * everything the agent said can be read; the process can be started again after a kill, with the
 * same node, ports and flags.
 *
 * <p>Not thread-safe for starting and stopping (one owner, the test or the benchmark); the readers
 * may be called from any thread.
 */
public final class AgentProcess implements AutoCloseable {
  public static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private AgentLaunch launch;
  private volatile Process process;

  public AgentProcess(AgentLaunch launch) {
    this.launch = launch;
  }

  /**
   * Node {@code nodeName} on {@code manifestDir}, root directory and log under {@code workDir},
   * with more flags.
   */
  public AgentProcess(String nodeName, Path manifestDir, Path workDir, List<String> extraArgs) {
    this(AgentLaunch.builder(nodeName, manifestDir, workDir).extraArgs(extraArgs).build());
  }

  public AgentLaunch launch() {
    return launch;
  }

  /**
   * Extra environment variables for the process (e.g. {@code LD_PRELOAD}); call before {@link
   * #start()}.
   */
  public AgentProcess withEnvironment(Map<String, String> variables) {
    launch = launch.withEnvironment(variables);
    return this;
  }

  /** Starts the process and returns at once, with the instant just before it was exec'd. */
  public Instant spawn() {
    try {
      Files.createDirectories(launch.logFile().getParent());
      Files.createDirectories(launch.rootDir());
      String env =
          launch.processEnvironment().entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue() + " ")
              .collect(Collectors.joining());
      Files.writeString(
          launch.logFile(),
          "===== testkit: " + env + String.join(" ", launch.command()) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ProcessBuilder builder =
          new ProcessBuilder(launch.command())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.logFile().toFile()));
      builder.environment().putAll(launch.processEnvironment());
      Instant startedAt = Instant.now();
      process = builder.start();
      return startedAt;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the process and waits until {@code /healthz} says ok. */
  public AgentProcess start() {
    spawn();
    awaitHealthy(HEALTHY_TIMEOUT);
    return this;
  }

  /**
   * Waits until {@code /healthz} answers ok and the read-only port answers {@code /pods} (the agent
   * binds {@code /healthz} first, before the engine and the read-only port, as the kubelet does);
   * an {@link AgentFailedException} with the log's tail if the process exits or times out.
   */
  public void awaitHealthy(Duration timeout) {
    try {
      await("agent /healthz")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                if (!isAlive()) {
                  throw new AgentFailedException(
                      "agent exited with " + process.exitValue() + "; log tail:\n" + logTail(40));
                }
                return "ok".equals(healthz())
                    && (!servesReadOnlyPort() || get(launch.readOnlyPort(), "/pods").isPresent());
              });
    } catch (ConditionTimeoutException e) {
      throw new AgentFailedException(
          "agent not healthy after "
              + timeout.toSeconds()
              + " s; /healthz says '"
              + healthz()
              + "'; log tail:\n"
              + logTail(40));
    }
  }

  private boolean servesReadOnlyPort() {
    List<String> args = launch.extraArgs();
    int given = args.indexOf("--read-only-port");
    boolean disabled = given >= 0 && given + 1 < args.size() && "0".equals(args.get(given + 1));
    return launch.readOnlyPort() > 0 && !disabled;
  }

  /** The body of {@code /healthz}; "" when it does not answer. */
  public String healthz() {
    return healthz("/healthz");
  }

  /** Any path of the healthz port, e.g. {@code /healthz/cluster}; "" when it does not answer. */
  public String healthz(String path) {
    return get(launch.healthzPort(), path).orElse("");
  }

  /**
   * {@code GET /pods} from the read-only port; fails when it does not answer or is not a PodList.
   */
  public List<Pod> pods() {
    String body =
        get(launch.readOnlyPort(), "/pods")
            .orElseThrow(() -> new IllegalStateException("/pods did not answer"));
    try {
      return JSON.readValue(body, PodList.class).getItems();
    } catch (IOException e) {
      throw new IllegalStateException("/pods is not a PodList: " + body, e);
    }
  }

  /** As {@link #pods()}, empty when the agent does not answer (yet). */
  public Optional<List<Pod>> podsIfAnswering() {
    try {
      return Optional.of(pods());
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
  }

  public Optional<Pod> pod(String name) {
    return pods().stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst();
  }

  /** {@code GET /metrics} (Prometheus text format); "" when it does not answer. */
  public String metrics() {
    return get(launch.readOnlyPort(), "/metrics").orElse("");
  }

  public String rawPods() {
    return get(launch.readOnlyPort(), "/pods").orElse("");
  }

  private static Optional<String> get(int port, String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(15))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return Optional.of(response.body());
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Everything the agent printed, across restarts. */
  public String log() {
    try {
      return Files.exists(launch.logFile())
          ? Files.readString(launch.logFile(), StandardCharsets.UTF_8)
          : "";
    } catch (IOException e) {
      return "(cannot read " + launch.logFile() + ": " + e.getMessage() + ")";
    }
  }

  public String logTail(int lines) {
    List<String> all = log().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  public Path logFile() {
    return launch.logFile();
  }

  public String nodeName() {
    return launch.node();
  }

  public Path rootDir() {
    return launch.rootDir();
  }

  /** The kubelet API's port (HTTPS). */
  public int kubeletPort() {
    return launch.kubeletPort();
  }

  public int readOnlyPort() {
    return launch.readOnlyPort();
  }

  public int healthzPort() {
    return launch.healthzPort();
  }

  /**
   * The process id (the launcher execs java: the JVM's own), for signals, {@code jcmd} and {@code
   * /proc}.
   */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** SIGKILL, as a crash or the OOM killer would; returns when the process is gone. */
  public void kill() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
      waitFor(p, Duration.ofMinutes(1));
    }
  }

  /**
   * SIGTERM, a clean shutdown that leaves the pods running; SIGKILL after 30 s. Returns the exit
   * code.
   */
  public int stop() {
    Process p = process;
    if (p == null) {
      return -1;
    }
    p.destroy();
    if (!waitFor(p, Duration.ofSeconds(30))) {
      kill();
    }
    return p.isAlive() ? -1 : p.exitValue();
  }

  private static boolean waitFor(Process p, Duration timeout) {
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return false;
    }
  }

  /** Stops the process if it is still alive (its pods are removed separately). */
  @Override
  public void close() {
    if (isAlive()) {
      stop();
    }
  }
}
