package io.staticlet.e2e.release;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The machine's dpkg, for one package: install, purge, what is installed. Another dpkg or apt on
 * the machine holds the lock for a while; the calls wait for it (up to three minutes) instead of
 * failing.
 */
final class Dpkg {
  private static final Duration LOCK_WAIT = Duration.ofMinutes(3);
  private static final Duration CALL = Duration.ofMinutes(3);

  private final String pkg;

  Dpkg(String pkg) {
    this.pkg = pkg;
  }

  /** {@code dpkg -i}: a first install, or an upgrade of what is installed. */
  String install(Path deb) {
    return locked(List.of("dpkg", "-i", deb.toString()));
  }

  /** {@code dpkg --purge}, when the package is there at all (also half-installed). */
  void purge() {
    if (known()) {
      locked(List.of("dpkg", "--purge", pkg));
    }
  }

  /** The installed version; empty when it is not installed (or only its conffiles remain). */
  Optional<String> installedVersion() {
    HostCommand q =
        HostCommand.run(
            List.of("dpkg-query", "-W", "-f", "${db:Status-Status} ${Version}", pkg), CALL);
    if (q.exitCode() != 0 || !q.output().startsWith("installed ")) {
      return Optional.empty();
    }
    return Optional.of(q.output().substring("installed ".length()).strip());
  }

  /** Whether dpkg knows the package in any state (installed, half-configured, config-files). */
  boolean known() {
    HostCommand q =
        HostCommand.run(List.of("dpkg-query", "-W", "-f", "${db:Status-Status}", pkg), CALL);
    return q.exitCode() == 0
        && !q.output().isBlank()
        && !q.output().strip().equals("not-installed");
  }

  /** {@code dpkg -L}: every path the package installed. */
  List<Path> files() {
    return HostCommand.ok(List.of("dpkg", "-L", pkg), CALL)
        .lines()
        .filter(l -> l.startsWith("/"))
        .map(l -> Path.of(l).normalize())
        .toList();
  }

  /** {@code dpkg-deb -c}: the paths a package file would install (symbolic links as themselves). */
  static List<Path> contents(Path deb) {
    return HostCommand.ok(List.of("dpkg-deb", "-c", deb.toString()), CALL)
        .lines()
        .map(l -> l.split("\\s+", 6)[5].replaceFirst(" -> .*$", ""))
        .map(p -> Path.of("/" + p.replaceFirst("^\\./", "")).normalize())
        .toList();
  }

  boolean newer(String version, String than) {
    return HostCommand.run(List.of("dpkg", "--compare-versions", version, "gt", than), CALL)
            .exitCode()
        == 0;
  }

  private static String locked(List<String> cmd) {
    AtomicReference<String> output = new AtomicReference<>();
    await(String.join(" ", cmd))
        .atMost(LOCK_WAIT)
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              HostCommand result = HostCommand.run(cmd, CALL);
              if (result.exitCode() == 0) {
                output.set(result.output());
                return true;
              }
              if (result.output().contains("lock")) {
                return false; // another dpkg or apt: wait for it
              }
              throw new AssertionError(
                  String.join(" ", cmd) + " exited " + result.exitCode() + ":\n" + result.output());
            });
    return output.get();
  }
}
