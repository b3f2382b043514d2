package io.staticlet.e2e.support;

import io.staticlet.testkit.Commands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A network namespace the test makes itself ({@code ip netns add}), its {@code lo} up, deleted on
 * {@link #close()}. Commands enter it with {@link #enter()}: {@code nsenter --net=...} switches the
 * network namespace only, so they keep the host's mounts ({@code ip netns exec} would also remount
 * {@code /sys} without the cgroup hierarchies a dockerd needs).
 */
public final class NetworkNamespace implements AutoCloseable {
  private final String name;

  private NetworkNamespace(String name) {
    this.name = name;
  }

  /** Creates {@code <prefix><random>} with {@code lo} up. */
  public static NetworkNamespace create(String prefix) {
    NetworkNamespace ns =
        new NetworkNamespace(prefix + UUID.randomUUID().toString().substring(0, 8));
    run(List.of("ip", "netns", "add", ns.name));
    try {
      ns.run("ip", "link", "set", "lo", "up");
    } catch (RuntimeException | AssertionError e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  public String name() {
    return name;
  }

  /** The command prefix that runs a command inside this namespace. */
  public List<String> enter() {
    return List.of("nsenter", "--net=/run/netns/" + name);
  }

  /** Runs a command inside this namespace; returns its output, throws when it fails. */
  public String run(String... cmd) {
    List<String> all = new ArrayList<>(enter());
    all.addAll(List.of(cmd));
    return run(all);
  }

  @Override
  public void close() {
    run(List.of("ip", "netns", "del", name));
  }

  private static String run(List<String> cmd) {
    return Commands.run(cmd, Duration.ofSeconds(30));
  }
}
