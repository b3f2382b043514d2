package io.staticlet.bench;

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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The built agent as a separate process, as an operator runs it; its output is appended to one log
 * file across restarts. It can be started again after a kill (same ports, same node, same flags).
 */
final class AgentProcess implements AutoCloseable {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final AgentLaunch launch;
  private Process process;

  AgentProcess(AgentLaunch launch) {
    this.launch = launch;
  }

  AgentLaunch launch() {
    return launch;
  }

  /** Starts the process and returns the instant just before it was exec'd. */
  synchronized Instant start() {
    try {
      Files.createDirectories(launch.logFile().getParent());
      Files.createDirectories(launch.rootDir());
      String env = launch.environment().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() + " ")
          .collect(java.util.stream.Collectors.joining());
      Files.writeString(launch.logFile(), "\n===== bench: " + env + String.join(" ", launch.command()) + "\n",
          StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      ProcessBuilder builder = new ProcessBuilder(launch.command())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.logFile().toFile()));
      builder.environment().putAll(launch.environment());
      Instant startedAt = Instant.now();
      process = builder.start();
      return startedAt;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until {@code /healthz} answers ok; fails with the log's tail if the process exits or times out. */
  void awaitHealthy(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!"ok".equals(get(launch.healthzPort(), "/healthz").orElse(""))) {
      if (!isAlive()) {
        throw new AgentFailedException("agent exited with " + process.exitValue() + "; log tail:\n" + logTail(25));
      }
      if (System.nanoTime() > deadline) {
        throw new AgentFailedException("agent not healthy after " + timeout.toSeconds() + " s; /healthz says '"
            + get(launch.healthzPort(), "/healthz").orElse("(no answer)") + "'; log tail:\n" + logTail(25));
      }
      Thread.sleep(50);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL, as a crash or the OOM killer would; waits for the process to be gone. */
  void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  /** SIGTERM (the agent leaves its pods running), SIGKILL after 30 s. */
  void stop() throws InterruptedException {
    if (isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }

  /** The agent's {@code /pods} (the pods it runs, with live status), empty if it does not answer. */
  Optional<List<Pod>> pods() {
    return get(launch.readOnlyPort(), "/pods").flatMap(body -> {
      try {
        return Optional.of(JSON.readValue(body, PodList.class).getItems());
      } catch (IOException e) {
        return Optional.empty();
      }
    });
  }

  Optional<String> metrics() {
    return get(launch.readOnlyPort(), "/metrics");
  }

  private static Optional<String> get(int port, String path) {
    try {
      HttpResponse<String> response = HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(launch.logFile(), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + launch.logFile() + ": " + e.getMessage() + ")";
    }
  }

  /** Kills the process if still alive (the bench's cleanup; the pods are removed separately). */
  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  static Path defaultJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }
}
