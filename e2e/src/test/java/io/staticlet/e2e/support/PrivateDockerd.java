package io.staticlet.e2e.support;

import static org.awaitility.Awaitility.await;

import io.staticlet.testkit.CommandResult;
import io.staticlet.testkit.Commands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A dockerd of the test's own (own socket, data-root, exec-root and pidfile under one directory, no
 * iptables), so a test can freeze, restart or network-isolate an engine without touching the shared
 * one. Started behind a command prefix (e.g. {@link NetworkNamespace#enter()}), its containers'
 * host network is that namespace's. {@link #close()} removes its containers, stops it (SIGTERM,
 * then SIGKILL) and unmounts what it left mounted under its directory.
 */
public final class PrivateDockerd implements AutoCloseable {
  private final Path dir;
  private final String host;
  private final Process process;

  private PrivateDockerd(Path dir, Process process) {
    this.dir = dir;
    this.host = "unix://" + dir.resolve("docker.sock");
    this.process = process;
  }

  /**
   * Starts dockerd under {@code dir} (keep it short: a unix socket path has ~100 characters) behind
   * {@code prefix}, with {@code networkArgs} (e.g. {@code --bridge=none} inside a network namespace
   * of the test's; never on the host's, where dockerd would delete {@code docker0}), and waits
   * until it answers.
   */
  public static PrivateDockerd start(Path dir, List<String> prefix, List<String> networkArgs)
      throws IOException {
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(
        List.of(
            "dockerd",
            "--host",
            "unix://" + dir.resolve("docker.sock"),
            "--data-root",
            dir.resolve("data").toString(),
            "--exec-root",
            dir.resolve("exec").toString(),
            "--pidfile",
            dir.resolve("docker.pid").toString(),
            "--iptables=false",
            "--ip-masq=false",
            "--storage-driver=overlay2"));
    cmd.addAll(networkArgs);
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile()))
            .start();
    PrivateDockerd d = new PrivateDockerd(dir, p);
    try {
      await("private dockerd answers")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                if (!p.isAlive()) {
                  throw new AssertionError("dockerd exited: " + d.log());
                }
                return d.exec(List.of("version", "--format", "{{.Server.Version}}"), 10).exitCode
                    == 0;
              });
    } catch (RuntimeException | AssertionError e) {
      d.close();
      throw e;
    }
    return d;
  }

  /**
   * {@code unix://<dir>/docker.sock}, for {@code docker -H} and {@code
   * --container-runtime-endpoint}.
   */
  public String host() {
    return host;
  }

  public long pid() {
    return process.pid();
  }

  /** Runs {@code docker -H <host> args}; returns its output, throws when it fails. */
  public String docker(String... args) {
    Exec r = exec(Arrays.asList(args), 120);
    if (r.exitCode != 0) {
      throw new AssertionError(
          "docker -H " + host + " " + String.join(" ", args) + " failed: " + r.output);
    }
    return r.output;
  }

  /** Copies images from the shared engine into this one ({@code docker save | docker -H load}). */
  public void load(List<String> images) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "bash",
                "-o",
                "pipefail",
                "-c",
                "docker save \"$@\" | docker -H " + host + " load",
                "load"));
    cmd.addAll(images);
    Exec r = run(cmd, 300);
    if (r.exitCode != 0) {
      throw new AssertionError("loading " + images + " into " + host + " failed: " + r.output);
    }
  }

  public String log() {
    try {
      return Files.readString(dir.resolve("dockerd.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + dir.resolve("dockerd.log") + ": " + e + ")";
    }
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        String ids = exec(List.of("ps", "-aq"), 60).output.strip();
        if (!ids.isEmpty()) {
          List<String> rm = new ArrayList<>(List.of("rm", "-f"));
          rm.addAll(Arrays.asList(ids.split("\\s+")));
          exec(rm, 120);
        }
      }
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // what dockerd left mounted under its directory (overlays, its exec-root), deepest first
      run(
          List.of(
              "sh",
              "-c",
              "grep ' " + dir + "/' /proc/mounts | cut -d' ' -f2 | sort -r | xargs -r umount -l"),
          60);
    }
  }

  private record Exec(int exitCode, String output) {}

  private Exec exec(List<String> args, long timeoutSeconds) {
    List<String> cmd = new ArrayList<>(List.of("docker", "-H", host));
    cmd.addAll(args);
    return run(cmd, timeoutSeconds);
  }

  private static Exec run(List<String> cmd, long timeoutSeconds) {
    CommandResult r = Commands.result(cmd, Duration.ofSeconds(timeoutSeconds));
    return new Exec(
        r.exitCode(),
        r.timedOut() ? r.stdout() + "\n(killed after " + timeoutSeconds + " s)" : r.stdout());
  }
}
