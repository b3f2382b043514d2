package io.staticlet.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How an agent under test is started, as it is installed: the shipped launcher {@code
 * deploy/bin/staticlet} (its JVM settings; {@code jvmOptions} are appended through {@code
 * STATICLET_JAVA_OPTS} and may override them), the built jar, its node, directories, ports and
 * flags. {@code kubeconfig} is null in standalone mode. Build one with {@link #builder}.
 */
public record AgentLaunch(
    Path launcher,
    Path jar,
    Path java,
    List<String> jvmOptions,
    Map<String, String> environment,
    String node,
    Path manifestDir,
    Path rootDir,
    Path logFile,
    Path kubeconfig,
    int readOnlyPort,
    int healthzPort,
    int kubeletPort,
    List<String> extraArgs) {

  public AgentLaunch {
    jvmOptions = List.copyOf(jvmOptions);
    environment = Map.copyOf(environment);
    extraArgs = List.copyOf(extraArgs);
  }

  /**
   * Node {@code node} on {@code manifestDir}; its root directory and log under {@code workDir};
   * free ports.
   */
  public static Builder builder(String node, Path manifestDir, Path workDir) {
    return new Builder(node, manifestDir, workDir);
  }

  public boolean clusterMode() {
    return kubeconfig != null;
  }

  /** The command line of the agent process: the launcher and the agent's flags. */
  public List<String> command() {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                launcher.toString(),
                "--pod-manifest-path",
                manifestDir.toString(),
                "--hostname-override",
                node,
                "--root-dir",
                rootDir.toString(),
                "--read-only-port",
                Integer.toString(readOnlyPort),
                "--healthz-port",
                Integer.toString(healthzPort),
                "--address",
                "127.0.0.1"));
    if (!extraArgs.contains("--port")) {
      cmd.addAll(List.of("--port", Integer.toString(kubeletPort)));
    }
    if (kubeconfig != null) {
      cmd.addAll(List.of("--kubeconfig", kubeconfig.toString()));
    }
    cmd.addAll(extraArgs);
    return cmd;
  }

  /**
   * What the launcher reads ({@code JAVA}, {@code STATICLET_JAR}, {@code STATICLET_JAVA_OPTS}) plus
   * {@code environment}.
   */
  public Map<String, String> processEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("JAVA", java.toString());
    env.put("STATICLET_JAR", jar.toString());
    env.put("STATICLET_JAVA_OPTS", String.join(" ", jvmOptions));
    env.putAll(environment);
    return env;
  }

  public AgentLaunch withEnvironment(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(environment);
    all.putAll(more);
    return new AgentLaunch(
        launcher,
        jar,
        java,
        jvmOptions,
        all,
        node,
        manifestDir,
        rootDir,
        logFile,
        kubeconfig,
        readOnlyPort,
        healthzPort,
        kubeletPort,
        extraArgs);
  }

  public AgentLaunch withJvmOptions(List<String> options) {
    return new AgentLaunch(
        launcher,
        jar,
        java,
        options,
        environment,
        node,
        manifestDir,
        rootDir,
        logFile,
        kubeconfig,
        readOnlyPort,
        healthzPort,
        kubeletPort,
        extraArgs);
  }

  /**
   * Defaults: the repository's launcher and built jar, this JVM's java, no extra options, free
   * ports.
   */
  public static final class Builder {
    private final String node;
    private final Path manifestDir;
    private final Path workDir;
    private Path root;
    private Path jar;
    private Path java;
    private List<String> jvmOptions = List.of();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Path kubeconfig;
    private List<String> extraArgs = List.of();
    private Path launcher;

    private Builder(String node, Path manifestDir, Path workDir) {
      this.node = node;
      this.manifestDir = manifestDir;
      this.workDir = workDir;
    }

    /**
     * The repository whose {@code deploy/bin/staticlet} starts the agent (default {@link
     * Repo#root()}).
     */
    public Builder repo(Path value) {
      root = value;
      return this;
    }

    public Builder jar(Path value) {
      jar = value;
      return this;
    }

    /**
     * Another launcher than the repository's {@code deploy/bin/staticlet} (an installed one, say).
     */
    public Builder launcher(Path value) {
      launcher = value;
      return this;
    }

    public Builder java(Path value) {
      java = value;
      return this;
    }

    /** JVM options after the launcher's own (a later option wins). */
    public Builder jvmOptions(List<String> value) {
      jvmOptions = List.copyOf(value);
      return this;
    }

    public Builder environment(Map<String, String> value) {
      environment.putAll(value);
      return this;
    }

    public Builder kubeconfig(Path value) {
      kubeconfig = value;
      return this;
    }

    /** More flags, after the harness's own; a {@code --port} here is the kubelet API's port. */
    public Builder extraArgs(List<String> value) {
      extraArgs = List.copyOf(value);
      return this;
    }

    public AgentLaunch build() {
      Path repo = root != null ? root : Repo.root();
      int given = extraArgs.indexOf("--port");
      int kubeletPort = given >= 0 ? Integer.parseInt(extraArgs.get(given + 1)) : FreePorts.next();
      return new AgentLaunch(
          launcher != null ? launcher : Repo.launcher(repo),
          jar != null ? jar : Repo.agentJar(),
          java != null ? java : Repo.currentJava(),
          jvmOptions,
          environment,
          node,
          manifestDir,
          workDir.resolve("root"),
          workDir.resolve("agent.log"),
          kubeconfig,
          FreePorts.next(),
          FreePorts.next(),
          kubeletPort,
          extraArgs);
    }
  }
}
