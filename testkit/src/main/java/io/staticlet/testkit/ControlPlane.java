package io.staticlet.testkit;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A running etcd + kube-apiserver v1.20.2 + kube-controller-manager on loopback, driven through
 * {@code deploy/controlplane/controlplane.sh}. The e2e tests obtain one from their {@code
 * ControlPlaneExtension} (shared by all tests of a JVM); the bench starts its own with {@link
 * #start(Path, Path, Map, Consumer)}.
 *
 * <p>Thread-safe: all state lives in the state directory and in the processes; methods that change
 * processes ({@link #stopApiServer()}, {@link #startApiServer()}, {@link #stop()}) are serialised
 * by the script's lock on the state directory.
 */
public final class ControlPlane {

  /** The three processes, in start order. */
  public static final List<String> COMPONENTS =
      List.of("etcd", "kube-apiserver", "kube-controller-manager");

  /** Time allowed for {@code up}: the first run on a machine builds Kubernetes (10–30 min). */
  static final Duration UP_TIMEOUT = Duration.ofMinutes(60);

  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(3);
  private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  private final Path script;
  private final Path stateDir;
  private final Path adminKubeconfig;
  private final URI apiServerUrl;
  private final Duration startupTime;
  private final Consumer<String> progress;
  private volatile boolean stopped;

  private ControlPlane(
      Path script,
      Path stateDir,
      Path adminKubeconfig,
      URI apiServerUrl,
      Duration startupTime,
      Consumer<String> progress) {
    this.progress = progress;
    this.script = script;
    this.stateDir = stateDir;
    this.adminKubeconfig = adminKubeconfig;
    this.apiServerUrl = apiServerUrl;
    this.startupTime = startupTime;
  }

  /**
   * Runs {@code controlplane.sh up stateDir} (which first builds or reuses the binaries) and waits
   * until all three components are healthy. On failure everything that was started is stopped again
   * and the exception message carries the tail of each component's log.
   */
  public static ControlPlane start(Path repoRoot, Path stateDir) {
    return start(repoRoot, stateDir, Map.of());
  }

  /**
   * As {@link #start(Path, Path)}, with extra environment for the script, e.g. {@code
   * KCM_EXTRA_ARGS=--cluster-signing-duration=10m} for a control plane of one's own.
   */
  public static ControlPlane start(Path repoRoot, Path stateDir, Map<String, String> env) {
    return start(repoRoot, stateDir, env, ControlPlane::echo);
  }

  /**
   * As {@link #start(Path, Path, Map)}, with the script's progress (its stderr) going to {@code
   * progress} line by line instead of this JVM's stderr (e.g. into a log file of the caller's).
   */
  public static ControlPlane start(
      Path repoRoot, Path stateDir, Map<String, String> env, Consumer<String> progress) {
    Path script = repoRoot.resolve("deploy/controlplane/controlplane.sh");
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("control plane script not found: " + script);
    }
    long t0 = System.nanoTime();
    ScriptResult up = runScript(script, UP_TIMEOUT, env, progress, "up", stateDir.toString());
    Duration startupTime = Duration.ofNanos(System.nanoTime() - t0);
    if (up.exitCode() != 0) {
      forceDown(repoRoot, stateDir);
      throw new ControlPlaneException(
          "controlplane.sh up "
              + stateDir
              + " failed (exit "
              + up.exitCode()
              + ")\n--- script stderr (tail) ---\n"
              + tail(up.stderr(), 40)
              + "\n"
              + logTails(stateDir, 40));
    }
    Path admin = Path.of(lastLine(up.stdout()));
    Properties ports = readPorts(stateDir);
    URI url = URI.create("https://127.0.0.1:" + ports.getProperty("APISERVER_PORT"));
    return new ControlPlane(script, stateDir, admin, url, startupTime, progress);
  }

  /** The repository root ({@link Repo#root()}). */
  public static Path locateRepoRoot() {
    return Repo.root();
  }

  /**
   * {@code controlplane.sh down} for a state directory whose start failed or is in progress, then
   * SIGKILL for whatever a pidfile still names.
   */
  public static void forceDown(Path repoRoot, Path stateDir) {
    try {
      runScript(
          repoRoot.resolve("deploy/controlplane/controlplane.sh"),
          SCRIPT_TIMEOUT,
          Map.of(),
          ControlPlane::echo,
          "down",
          stateDir.toString());
    } finally {
      killByPidfiles(stateDir);
    }
  }

  // ------------------------------------------------------------------------------------------
  // accessors

  /** Kubeconfig for {@code CN=admin, O=system:masters}, certificates embedded. */
  public Path adminKubeconfig() {
    return adminKubeconfig;
  }

  /**
   * Kubeconfig for {@code system:node:<nodeName>} in group {@code system:nodes}, creating the
   * client certificate on first use. The Node object itself is not created.
   */
  public Path nodeKubeconfig(String nodeName) {
    if (!NODE_NAME.matcher(nodeName).matches()) {
      throw new IllegalArgumentException("not a valid node name: " + nodeName);
    }
    ScriptResult r =
        runScript(
            script,
            SCRIPT_TIMEOUT,
            Map.of(),
            progress,
            "node-kubeconfig",
            nodeName,
            stateDir.toString());
    if (r.exitCode() != 0) {
      throw new ControlPlaneException("node-kubeconfig " + nodeName + " failed: " + r.stderr());
    }
    return Path.of(lastLine(r.stdout()));
  }

  /** {@code https://127.0.0.1:<port>} of the kube-apiserver. */
  public URI apiServerUrl() {
    return apiServerUrl;
  }

  public Path stateDir() {
    return stateDir;
  }

  public Path caCertificate() {
    return stateDir.resolve("pki/ca.crt");
  }

  /**
   * The client certificate kube-apiserver presents to kubelets ({@code
   * --kubelet-client-certificate}).
   */
  public Path kubeletClientCertificate() {
    return stateDir.resolve("pki/apiserver-kubelet-client.crt");
  }

  public Path kubeletClientKey() {
    return stateDir.resolve("pki/apiserver-kubelet-client.key");
  }

  /**
   * The client certificate of {@code system:node:<nodeName>}, once {@link #nodeKubeconfig} made it.
   */
  public Path nodeCertificate(String nodeName) {
    return stateDir.resolve("pki/nodes/" + nodeName + ".crt");
  }

  public Path nodeKey(String nodeName) {
    return stateDir.resolve("pki/nodes/" + nodeName + ".key");
  }

  /** How long {@code controlplane.sh up} took (including a build on the first run). */
  public Duration startupTime() {
    return startupTime;
  }

  // ------------------------------------------------------------------------------------------
  // clients

  /** Runs the real kubectl with the admin kubeconfig. */
  public Kubectl.Result kubectl(String... args) {
    return kubectlFor(adminKubeconfig).run(args);
  }

  /** Runs the real kubectl with the admin kubeconfig, feeding {@code stdin} (for {@code -f -}). */
  public Kubectl.Result kubectlWithInput(String stdin, String... args) {
    return kubectlFor(adminKubeconfig).run(stdin, Kubectl.DEFAULT_TIMEOUT, args);
  }

  /** A kubectl bound to another kubeconfig, e.g. {@link #nodeKubeconfig(String)}. */
  public Kubectl kubectlFor(Path kubeconfig) {
    return Kubectl.forKubeconfig(kubeconfig);
  }

  /** Raw HTTPS as admin. */
  public ApiClient adminApi() {
    return ApiClient.withClientCertificate(
        apiServerUrl,
        caCertificate(),
        stateDir.resolve("pki/admin.crt"),
        stateDir.resolve("pki/admin.key"));
  }

  /** Raw HTTPS as {@code system:node:<nodeName>} (creates the certificate on first use). */
  public ApiClient nodeApi(String nodeName) {
    nodeKubeconfig(nodeName);
    return ApiClient.withClientCertificate(
        apiServerUrl,
        caCertificate(),
        stateDir.resolve("pki/nodes/" + nodeName + ".crt"),
        stateDir.resolve("pki/nodes/" + nodeName + ".key"));
  }

  /** Raw HTTPS with a bearer token, e.g. from {@code kubectl create token}. */
  public ApiClient tokenApi(String token) {
    return ApiClient.withToken(apiServerUrl, caCertificate(), token);
  }

  // ------------------------------------------------------------------------------------------
  // processes

  /** Stops only the kube-apiserver (etcd and the controller-manager keep running). Idempotent. */
  public void stopApiServer() {
    ScriptResult r =
        runScript(
            script, SCRIPT_TIMEOUT, Map.of(), progress, "stop-apiserver", stateDir.toString());
    if (r.exitCode() != 0) {
      throw new ControlPlaneException("stop-apiserver failed: " + r.stderr());
    }
  }

  /** Starts the kube-apiserver again with the same flags and port; returns when /readyz is ok. */
  public void startApiServer() {
    ScriptResult r =
        runScript(
            script, SCRIPT_TIMEOUT, Map.of(), progress, "start-apiserver", stateDir.toString());
    if (r.exitCode() != 0) {
      throw new ControlPlaneException(
          "start-apiserver failed: " + r.stderr() + "\n" + logTails(40));
    }
  }

  /** The pid of a component if its process is alive. */
  public OptionalLong pid(String component) {
    return pidOf(stateDir, component);
  }

  public boolean isRunning(String component) {
    return pid(component).isPresent();
  }

  public boolean isApiServerRunning() {
    return isRunning("kube-apiserver");
  }

  /** Path of a component's log ({@code logs/<component>.log}); kept after {@link #stop()}. */
  public Path logFile(String component) {
    return stateDir.resolve("logs/" + component + ".log");
  }

  /** Last {@code lines} lines of one component's log. */
  public String logTail(String component, int lines) {
    return logTail(stateDir, component, lines);
  }

  /** Last {@code lines} lines of every component's log, each under a header. */
  public String logTails(int lines) {
    return logTails(stateDir, lines);
  }

  /**
   * Stops all components ({@code controlplane.sh down}), then makes sure by pidfile that none is
   * left. Idempotent; safe from a shutdown hook.
   */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    try {
      runScript(script, SCRIPT_TIMEOUT, Map.of(), progress, "down", stateDir.toString());
    } finally {
      killByPidfiles(stateDir);
      stopped = true;
    }
  }

  @Override
  public String toString() {
    return "ControlPlane[" + apiServerUrl + ", state " + stateDir + "]";
  }

  // ------------------------------------------------------------------------------------------
  // helpers

  record ScriptResult(int exitCode, String stdout, String stderr) {}

  /** Script processes in flight, so a shutdown hook can abort an `up` before running `down`. */
  private static final Set<Process> RUNNING_SCRIPTS = ConcurrentHashMap.newKeySet();

  /**
   * Terminates running script invocations and their children (e.g. a build, a starting etcd); for a
   * shutdown hook.
   */
  public static void abortRunningScripts() {
    for (Process p : RUNNING_SCRIPTS) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    for (Process p : RUNNING_SCRIPTS) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void echo(String line) {
    System.err.println("[controlplane] " + line);
  }

  /**
   * Runs the script; its stderr (progress, e.g. a 20-minute build) goes to {@code progress} as it
   * comes, and is also collected.
   */
  private static ScriptResult runScript(
      Path script,
      Duration timeout,
      Map<String, String> env,
      Consumer<String> progress,
      String... args) {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(script.toString());
    command.addAll(List.of(args));
    Path out = null;
    try {
      out = Files.createTempFile("controlplane-", ".out");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().putAll(env);
      if (args.length > 0 && args[0].equals("up")) {
        // the script's watchdog runs `down` when this JVM is gone, even after a SIGKILL
        pb.environment()
            .put("CONTROLPLANE_OWNER_PID", Long.toString(ProcessHandle.current().pid()));
      }
      Process p = pb.start();
      RUNNING_SCRIPTS.add(p);
      StringBuilder err = new StringBuilder();
      Thread pump =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    progress.accept(line);
                    synchronized (err) {
                      err.append(line).append('\n');
                    }
                  }
                } catch (IOException ignored) {
                  // process went away
                }
              },
              "controlplane-stderr");
      pump.setDaemon(true);
      pump.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        pump.join(2000);
        synchronized (err) {
          return new ScriptResult(
              -1, Files.readString(out), err + "\n(script timed out after " + timeout + ")");
        }
      }
      pump.join(10_000);
      synchronized (err) {
        return new ScriptResult(p.exitValue(), Files.readString(out), err.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    } finally {
      RUNNING_SCRIPTS.removeIf(proc -> !proc.isAlive());
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // harmless
        }
      }
    }
  }

  static OptionalLong pidOf(Path stateDir, String component) {
    Path pidfile = stateDir.resolve("pids/" + component + ".pid");
    try {
      if (!Files.isRegularFile(pidfile)) {
        return OptionalLong.empty();
      }
      long pid = Long.parseLong(Files.readString(pidfile).trim());
      Optional<ProcessHandle> handle = ProcessHandle.of(pid);
      if (handle.isEmpty() || !handle.get().isAlive()) {
        return OptionalLong.empty();
      }
      // guard against a recycled pid: the command line must name the component
      String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
      return cmdline.contains(component) ? OptionalLong.of(pid) : OptionalLong.empty();
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** Last resort after {@code down}: SIGKILL whatever a pidfile still names. */
  private static void killByPidfiles(Path stateDir) {
    for (String c : COMPONENTS) {
      pidOf(stateDir, c)
          .ifPresent(
              pid ->
                  ProcessHandle.of(pid)
                      .ifPresent(
                          h -> {
                            System.err.println(
                                "[controlplane] "
                                    + c
                                    + " (pid "
                                    + pid
                                    + ") still alive after down: killing it");
                            h.descendants().forEach(ProcessHandle::destroyForcibly);
                            h.destroyForcibly();
                            h.onExit().completeOnTimeout(h, 10, TimeUnit.SECONDS).join();
                          }));
    }
  }

  static String logTail(Path stateDir, String component, int lines) {
    Path log = stateDir.resolve("logs/" + component + ".log");
    try {
      if (!Files.isRegularFile(log)) {
        return "(no " + log + ")";
      }
      return tail(Files.readString(log, StandardCharsets.UTF_8), lines);
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  static String logTails(Path stateDir, int lines) {
    StringBuilder sb = new StringBuilder();
    for (String c : COMPONENTS) {
      sb.append("----- last ")
          .append(lines)
          .append(" lines of ")
          .append(stateDir.resolve("logs/" + c + ".log"))
          .append(" -----\n")
          .append(logTail(stateDir, c, lines))
          .append('\n');
    }
    return sb.toString();
  }

  private static String tail(String text, int lines) {
    String[] all = text.split("\n", -1);
    int from = Math.max(0, all.length - lines - (text.endsWith("\n") ? 1 : 0));
    return String.join("\n", List.of(all).subList(from, all.length)).stripTrailing();
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1].strip();
  }

  private static Properties readPorts(Path stateDir) {
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(stateDir.resolve("ports.env"))) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + stateDir.resolve("ports.env"), e);
    }
    return p;
  }

  /** A control-plane operation failed; the message carries what is needed to see why. */
  public static final class ControlPlaneException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ControlPlaneException(String message) {
      super(message);
    }
  }
}
