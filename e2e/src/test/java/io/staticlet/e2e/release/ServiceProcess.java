package io.staticlet.e2e.release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service started as systemd would start it where systemd does not run (PID 1 is not systemd
 * here): the unit file is read at every start (as after {@code daemon-reload}), the command runs
 * with the service environment only, and stop is {@code KillMode=process}: SIGTERM to the main
 * process, SIGKILL after {@code TimeoutStopSec}. What it prints goes to one log file across
 * restarts.
 */
final class ServiceProcess implements AutoCloseable {
  private final Path unitFile;
  private final Path log;
  private Process process;

  ServiceProcess(Path unitFile, Path log) {
    this.unitFile = unitFile;
    this.log = log;
  }

  /** {@code systemctl start}; returns the command line it ran. */
  List<String> start() {
    if (running()) {
      throw new IllegalStateException(unitFile + " is running already");
    }
    SystemdUnit unit = SystemdUnit.read(unitFile);
    Map<String, String> env = unit.serviceEnvironment();
    List<String> cmd = unit.command(env);
    try {
      Files.writeString(
          log,
          "service-process: starting: " + String.join(" ", cmd) + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ProcessBuilder builder =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      builder.environment().clear();
      builder.environment().putAll(env);
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cmd;
  }

  /**
   * {@code systemctl stop} with {@code KillMode=process}; returns the exit code (-1: it was not
   * running).
   */
  int stop() {
    if (!running()) {
      return -1;
    }
    SystemdUnit unit = SystemdUnit.read(unitFile);
    try {
      process.destroy();
      if (!process.waitFor(unit.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * {@code systemctl try-restart}: restarts the service only when it runs (what the package's
   * postinst calls).
   */
  void tryRestart() {
    if (running()) {
      stop();
      start();
    }
  }

  boolean running() {
    return process != null && process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  @Override
  public void close() {
    stop();
  }
}
