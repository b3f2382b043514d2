package io.staticlet.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the repository and the built agent are: the system properties {@code staticlet.repo} and
 * {@code staticlet.jar} (set by the e2e pom; the bench passes its {@code --repo}), else the nearest
 * directory at or above the working directory that holds {@code
 * deploy/controlplane/controlplane.sh}.
 */
public final class Repo {
  private static final String MARKER = "deploy/controlplane/controlplane.sh";

  private Repo() {}

  public static Path root() {
    String property = System.getProperty("staticlet.repo");
    if (property != null && !property.isBlank()) {
      Path root = Path.of(property).toAbsolutePath().normalize();
      if (Files.isRegularFile(root.resolve(MARKER))) {
        return root;
      }
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(MARKER))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "cannot find "
            + MARKER
            + ": set -Dstaticlet.repo=<repository root> (staticlet.repo="
            + property
            + ", working directory "
            + Path.of("").toAbsolutePath()
            + ")");
  }

  /** The shaded agent jar ({@code app/target/staticlet.jar}); fails when it has not been built. */
  public static Path agentJar() {
    String jar = System.getProperty("staticlet.jar");
    Path path =
        jar != null && !jar.isBlank() ? Path.of(jar) : root().resolve("app/target/staticlet.jar");
    path = path.toAbsolutePath().normalize();
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException(
          "the agent jar is missing: " + path + " (run mvn package first)");
    }
    return path;
  }

  /** The shipped command {@code deploy/bin/staticlet}, which carries the agent's JVM settings. */
  public static Path launcher(Path root) {
    return root.resolve("deploy/bin/staticlet");
  }

  /** The java this JVM runs on, for an agent started by a test or the bench. */
  public static Path currentJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }
}
