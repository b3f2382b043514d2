package io.staticlet.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the real {@code kubectl} binary, the way a user would type it.
 *
 * <p>The binary is found through the system property {@code staticlet.kubectl}, then the
 * environment variable {@code KUBECTL}, then {@code PATH}. Immutable and thread-safe; every call
 * starts a new process and blocks until it exits or the timeout passes.
 */
public final class Kubectl {

  /** Default time a single kubectl invocation may take. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** Exit code, standard output and standard error of one kubectl run. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
      return exitCode == 0;
    }

    /** Returns this result, or throws with the command and its output when it failed. */
    public Result orThrow() {
      if (!succeeded()) {
        throw new IllegalStateException("kubectl failed: " + this);
      }
      return this;
    }

    @Override
    public String toString() {
      return String.join(" ", command)
          + " -> exit "
          + exitCode
          + "\n--- stdout ---\n"
          + stdout
          + "\n--- stderr ---\n"
          + stderr;
    }
  }

  private final Path binary;
  private final Path kubeconfig;

  private Kubectl(Path binary, Path kubeconfig) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
  }

  /**
   * A kubectl bound to {@code kubeconfig}.
   *
   * @throws IllegalStateException with a clear message when no kubectl can be found
   */
  public static Kubectl forKubeconfig(Path kubeconfig) {
    return new Kubectl(
        find().orElseThrow(() -> new IllegalStateException(notFoundMessage())), kubeconfig);
  }

  /**
   * A kubectl bound to {@code kubeconfig} that runs {@code binary} (e.g. a wrapper that enters a
   * namespace).
   */
  public static Kubectl withBinary(Path binary, Path kubeconfig) {
    return new Kubectl(binary, kubeconfig);
  }

  /** Where kubectl would be taken from, if anywhere. */
  public static Optional<Path> find() {
    String explicit = System.getProperty("staticlet.kubectl");
    if (explicit == null || explicit.isBlank()) {
      explicit = System.getenv("KUBECTL");
    }
    if (explicit != null && !explicit.isBlank()) {
      Path p = Path.of(explicit);
      return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "kubectl");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  public static String notFoundMessage() {
    return "No kubectl found: the end-to-end tests run the real kubectl (v1.32 tested). Install it on PATH,"
        + " or point -Dstaticlet.kubectl=/path/to/kubectl or KUBECTL=/path/to/kubectl at it."
        + " (Searched PATH="
        + System.getenv().getOrDefault("PATH", "")
        + ")";
  }

  public Path binary() {
    return binary;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /** Runs {@code kubectl --kubeconfig <kubeconfig> args...}. */
  public Result run(String... args) {
    return run(null, DEFAULT_TIMEOUT, args);
  }

  /** Runs kubectl with {@code stdin} (for {@code -f -}) and a timeout. */
  public Result run(String stdin, Duration timeout, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    Command kubectl = Command.of(command).timeout(timeout).without("KUBECONFIG");
    CommandResult r = (stdin != null ? kubectl.stdin(stdin) : kubectl).run();
    return new Result(
        command,
        r.exitCode(),
        r.stdout(),
        r.timedOut() ? r.stderr() + "\n(killed after " + timeout.toSeconds() + " s)" : r.stderr());
  }
}
