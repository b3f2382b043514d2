package io.staticlet.e2e.release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What systemd takes from a service unit to start it: the command line of the last {@code
 * ExecStart=}, the {@code Environment=} and {@code EnvironmentFile=} settings (a leading {@code -}:
 * optional), and {@code TimeoutStopSec=}. {@link #command()} expands {@code $VAR} into words split
 * on white space and {@code ${VAR}} into one word, as systemd does.
 */
record SystemdUnit(
    Path file,
    String execStart,
    Map<String, String> environment,
    List<String> environmentFiles,
    Duration stopTimeout) {
  /** systemd's own PATH for services (systemd.exec(5)); nothing of the test's environment. */
  static final String SERVICE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private static final Pattern VARIABLE =
      Pattern.compile("^\\$\\{([A-Za-z_][A-Za-z0-9_]*)}$|^\\$([A-Za-z_][A-Za-z0-9_]*)$");

  static SystemdUnit read(Path file) {
    String exec = null;
    Map<String, String> env = new LinkedHashMap<>();
    List<String> envFiles = new ArrayList<>();
    Duration stop = Duration.ofSeconds(90);
    for (String line : lines(file)) {
      String l = line.strip();
      if (l.startsWith("ExecStart=")) {
        exec = l.substring("ExecStart=".length());
      } else if (l.startsWith("Environment=")) {
        String assignment = unquote(l.substring("Environment=".length()));
        env.put(
            assignment.substring(0, assignment.indexOf('=')),
            assignment.substring(assignment.indexOf('=') + 1));
      } else if (l.startsWith("EnvironmentFile=")) {
        envFiles.add(l.substring("EnvironmentFile=".length()));
      } else if (l.startsWith("TimeoutStopSec=")) {
        stop =
            Duration.ofSeconds(
                Long.parseLong(l.substring("TimeoutStopSec=".length()).replaceFirst("s$", "")));
      }
    }
    if (exec == null || exec.isBlank()) {
      throw new AssertionError(file + " has no ExecStart=");
    }
    return new SystemdUnit(file, exec, Map.copyOf(env), List.copyOf(envFiles), stop);
  }

  /**
   * The environment the service gets: PATH, Environment=, then each EnvironmentFile= in order (read
   * now).
   */
  Map<String, String> serviceEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", SERVICE_PATH);
    env.put("LANG", "C.UTF-8");
    env.putAll(environment);
    for (String entry : environmentFiles) {
      boolean optional = entry.startsWith("-");
      Path envFile = Path.of(optional ? entry.substring(1) : entry);
      if (!Files.exists(envFile)) {
        if (optional) {
          continue;
        }
        throw new AssertionError(file + ": EnvironmentFile " + envFile + " does not exist");
      }
      for (String line : lines(envFile)) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#") || l.startsWith(";") || !l.contains("=")) {
          continue;
        }
        env.put(
            l.substring(0, l.indexOf('=')).strip(),
            unquote(l.substring(l.indexOf('=') + 1).strip()));
      }
    }
    return env;
  }

  /** The ExecStart command line with the service environment's variables expanded. */
  List<String> command(Map<String, String> env) {
    List<String> argv = new ArrayList<>();
    for (String word : execStart.strip().split("\\s+")) {
      Matcher m = VARIABLE.matcher(word);
      if (m.matches() && m.group(1) != null) {
        argv.add(env.getOrDefault(m.group(1), ""));
      } else if (m.matches()) {
        String value = env.getOrDefault(m.group(2), "").strip();
        if (!value.isEmpty()) {
          argv.addAll(List.of(value.split("\\s+")));
        }
      } else {
        argv.add(word);
      }
    }
    argv.set(0, argv.get(0).replaceFirst("^[-@+!:]+", ""));
    return argv;
  }

  private static String unquote(String value) {
    if (value.length() >= 2
        && (value.startsWith("\"") && value.endsWith("\"")
            || value.startsWith("'") && value.endsWith("'"))) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
