package io.staticlet.testkit;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** The real {@code docker} CLI, for checking what a user would see with {@code docker ps}. */
public final class DockerCli {
  /** One line of {@code docker ps -a} for a managed container. */
  public record Row(
      String id,
      String name,
      String state,
      String startedAt,
      String podName,
      String podUid,
      String labels) {
    public boolean running() {
      return state.equals("running");
    }
  }

  private static final int REMOVE_BATCH = 5;
  private static final Duration REMOVE_TIMEOUT = Duration.ofMinutes(3);

  private DockerCli() {}

  public static String run(String... args) {
    return run(Duration.ofSeconds(60), args);
  }

  private static String run(Duration timeout, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("docker");
    cmd.addAll(Arrays.asList(args));
    return Commands.run(cmd, timeout);
  }

  /**
   * Managed containers whose pod name ends with {@code -<node>} (one test's agent), running or not.
   */
  public static List<Row> containersOfNode(String node) {
    String out =
        run(
            "ps",
            "-a",
            "--no-trunc",
            "--filter",
            "label=io.staticlet.managed=true",
            "--format",
            "{{.ID}}");
    List<Row> rows = new ArrayList<>();
    for (String id : out.lines().filter(l -> !l.isBlank()).toList()) {
      String line;
      try {
        line =
            run(
                    "inspect",
                    "--format",
                    "{{.Id}}|{{.Name}}|{{.State.Status}}|{{.State.StartedAt}}|{{index .Config.Labels \"io.kubernetes.pod.name\"}}|"
                        + "{{index .Config.Labels \"io.kubernetes.pod.uid\"}}|{{json .Config.Labels}}",
                    id)
                .strip();
      } catch (CommandFailedException gone) {
        continue; // removed between ps and inspect
      }
      String[] f = line.split("\\|", 7);
      if (f[4].endsWith("-" + node)) {
        rows.add(new Row(f[0], f[1].replaceFirst("^/", ""), f[2], f[3], f[4], f[5], f[6]));
      }
    }
    return rows;
  }

  public static List<Row> containersOfPod(String node, String podName) {
    return containersOfNode(node).stream().filter(r -> r.podName().equals(podName)).toList();
  }

  public static List<Row> runningOfPod(String node, String podName) {
    return containersOfPod(node, podName).stream().filter(Row::running).toList();
  }

  /** IDs of the running containers of one pod: a single {@code docker ps}, cheap enough to poll. */
  public static List<String> runningIds(String podName) {
    return run("ps", "-q", "--no-trunc", "--filter", "label=io.kubernetes.pod.name=" + podName)
        .lines()
        .filter(l -> !l.isBlank())
        .toList();
  }

  /**
   * What the engine itself needs for a pod: a pause sandbox plus a busybox container joined to its
   * network, started with {@code docker run}, from before the first command to the engine's start
   * of the second container. Both are removed afterwards.
   */
  public static Duration sandboxAndAppFloor(String pauseImage, String appImage) {
    String id = "e2e-floor-" + UUID.randomUUID().toString().substring(0, 8);
    String label = "io.staticlet.e2e.floor=" + id;
    Instant t0 = Instant.now();
    try (StartEvents events = startEventsLabelled(label, t0.minusSeconds(1))) {
      run("run", "-d", "--name", id + "-pod", "--label", label, pauseImage);
      run(
          "run",
          "-d",
          "--name",
          id + "-app",
          "--label",
          label,
          "--network",
          "container:" + id + "-pod",
          appImage,
          "sh",
          "-c",
          "sleep 3600");
      await("floor containers started")
          .atMost(Duration.ofSeconds(60))
          .until(() -> events.starts().size() >= 2);
      return Duration.between(t0, events.starts().get(1).at());
    } finally {
      run("rm", "-f", id + "-app", id + "-pod");
    }
  }

  /**
   * Force-removes every managed container of one test's node, {@value #REMOVE_BATCH} at a time (3
   * minutes each). The docker CLI removes all the ids it is given at once: after
   * ManifestChurnFaultIT, one {@code docker rm -f} of its ~100 containers left dockerd 20.10 with
   * containers whose exit it never processed (their shims gone, {@code inspect} hanging) and every
   * later test waiting on them.
   */
  public static void removeNode(String node) {
    List<String> ids = containersOfNode(node).stream().map(Row::id).toList();
    for (int from = 0; from < ids.size(); from += REMOVE_BATCH) {
      List<String> args = new ArrayList<>(List.of("rm", "-f"));
      args.addAll(ids.subList(from, Math.min(ids.size(), from + REMOVE_BATCH)));
      run(REMOVE_TIMEOUT, args.toArray(String[]::new));
    }
  }

  /**
   * {@code docker events} for the container starts of one pod, from {@code since} on (the engine
   * replays its buffer, so nothing between {@code since} and the subscription is missed). The start
   * times are the engine's own, so measuring with them adds no polling load to the machine.
   */
  public static StartEvents startEvents(String podName, Instant since) {
    return startEventsLabelled("io.kubernetes.pod.name=" + podName, since);
  }

  /** As {@link #startEvents}, for the containers carrying {@code label} ({@code key=value}). */
  public static StartEvents startEventsLabelled(String label, Instant since) {
    List<String> cmd =
        List.of(
            "docker",
            "events",
            "--since",
            since.getEpochSecond() + "." + String.format("%09d", since.getNano()),
            "--filter",
            "type=container",
            "--filter",
            "event=start",
            "--filter",
            "label=" + label,
            "--format",
            "{{.TimeNano}} {{.Actor.Attributes.name}}");
    try {
      return new StartEvents(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Container starts seen by a running {@code docker events}; close to stop it. */
  public static final class StartEvents implements AutoCloseable {
    /** One start: when the engine started the container, and its name. */
    public record Start(Instant at, String name) {}

    private final Process process;
    private final List<Start> starts = new CopyOnWriteArrayList<>();

    private StartEvents(Process process) {
      this.process = process;
      Thread reader = new Thread(this::read, "docker-events-reader");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          String[] f = line.strip().split(" ", 2);
          if (f.length == 2 && f[0].chars().allMatch(Character::isDigit)) {
            long nanos = Long.parseLong(f[0]);
            starts.add(
                new Start(
                    Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L), f[1]));
          }
        }
      } catch (IOException e) {
        // the process was closed
      }
    }

    public List<Start> starts() {
      return List.copyOf(starts);
    }

    @Override
    public void close() {
      process.destroy();
    }
  }
}
