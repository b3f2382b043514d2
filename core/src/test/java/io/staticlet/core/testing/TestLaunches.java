package io.staticlet.core.testing;

import io.staticlet.core.container.ContainerLaunches;
import io.staticlet.core.container.NodeCapacity;
import io.staticlet.core.volume.PodDirectories;
import java.nio.file.Path;

/**
 * {@link ContainerLaunches} for tests whose pods have no volumes or message files: a root under
 * {@code target/}.
 */
public final class TestLaunches {
  private TestLaunches() {}

  public static ContainerLaunches create() {
    Path root = Path.of("target", "test-node-root").toAbsolutePath();
    return new ContainerLaunches(
        new PodDirectories(root), root.resolve("seccomp"), new NodeCapacity(4000, 8L << 30));
  }
}
