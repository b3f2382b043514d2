package io.staticlet.testkit;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One host command to run to its end: {@code Command.of("docker", "ps").timeout(...).run()}. Output
 * goes to temporary files (a chatty command cannot block on a full pipe, and the timeout holds even
 * when the command keeps its output open); at the timeout the command and its children are killed.
 * Immutable.
 */
public final class Command {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final List<String> argv;
  private final Duration timeout;
  private final String stdin;
  private final Map<String, String> environment;
  private final Set<String> unset;
  private final boolean mergeStderr;

  private Command(
      List<String> argv,
      Duration timeout,
      String stdin,
      Map<String, String> environment,
      Set<String> unset,
      boolean mergeStderr) {
    this.argv = List.copyOf(argv);
    this.timeout = timeout;
    this.stdin = stdin;
    this.environment = Map.copyOf(environment);
    this.unset = Set.copyOf(unset);
    this.mergeStderr = mergeStderr;
  }

  public static Command of(String... argv) {
    return of(List.of(argv));
  }

  public static Command of(List<String> argv) {
    return new Command(argv, DEFAULT_TIMEOUT, null, Map.of(), Set.of(), false);
  }

  public Command timeout(Duration value) {
    return new Command(argv, value, stdin, environment, unset, mergeStderr);
  }

  /** Text fed to the command's standard input (else it reads /dev/null). */
  public Command stdin(String text) {
    return new Command(argv, timeout, text, environment, unset, mergeStderr);
  }

  /** Variables added to (or replacing those of) this JVM's environment. */
  public Command environment(Map<String, String> variables) {
    Map<String, String> all = new HashMap<>(environment);
    all.putAll(variables);
    return new Command(argv, timeout, stdin, all, unset, mergeStderr);
  }

  /** Variables of this JVM's environment the command must not inherit (e.g. {@code KUBECONFIG}). */
  public Command without(String... variables) {
    return new Command(argv, timeout, stdin, environment, Set.of(variables), mergeStderr);
  }

  /** Standard error into standard output, interleaved as printed (as a terminal shows it). */
  public Command mergeStderr() {
    return new Command(argv, timeout, stdin, environment, unset, true);
  }

  public List<String> argv() {
    return argv;
  }

  /**
   * Runs it to its end or its timeout; never throws for a failing command (see {@link #check()}).
   */
  public CommandResult run() {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("testkit-", ".out");
      ProcessBuilder builder = new ProcessBuilder(argv).redirectOutput(out.toFile());
      if (mergeStderr) {
        builder.redirectErrorStream(true);
      } else {
        err = Files.createTempFile("testkit-", ".err");
        builder.redirectError(err.toFile());
      }
      if (stdin == null) {
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      }
      unset.forEach(builder.environment()::remove);
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (stdin != null) {
        try (OutputStream in = process.getOutputStream()) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException closedEarly) {
          // the command did not read all of it: its exit code says whether that mattered
        }
      }
      boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!exited) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      return new CommandResult(
          argv,
          exited ? process.exitValue() : -1,
          !exited,
          read(out),
          err == null ? "" : read(err));
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + argv, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + argv, e);
    } finally {
      delete(out);
      delete(err);
    }
  }

  /**
   * Runs it and returns its standard output; a {@link CommandFailedException} when it fails or
   * times out.
   */
  public String check() {
    return run().orThrow().stdout();
  }

  /**
   * The argv of a command that runs {@code argv} through {@code prefix} (e.g. {@code nsenter
   * --net=...}).
   */
  public static List<String> prefixed(List<String> prefix, List<String> argv) {
    List<String> all = new ArrayList<>(prefix);
    all.addAll(argv);
    return all;
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static void delete(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temporary file left behind is harmless
      }
    }
  }
}
