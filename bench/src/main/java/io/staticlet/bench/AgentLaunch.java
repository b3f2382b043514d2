package io.staticlet.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the agent under test is started: through the installed launcher ({@code deploy/bin/staticlet},
 * which carries the JVM settings), with which java, extra JVM options and environment, which jar and
 * flags. The kubeconfig is null in standalone mode.
 */
record AgentLaunch(
    Path launcher,
    Path java,
    List<String> jvmOptions,
    Map<String, String> environment,
    Path jar,
    String node,
    Path manifestDir,
    Path rootDir,
    Path logFile,
    int syncWorkers,
    Path kubeconfig,
    int readOnlyPort,
    int healthzPort,
    int kubeletPort) {

  AgentLaunch {
    jvmOptions = List.copyOf(jvmOptions);
    environment = Map.copyOf(environment);
  }

  boolean clusterMode() {
    return kubeconfig != null;
  }

  /**
   * The agent exactly as installed: {@code env STATICLET_JAR=<jar> JAVA=<java>
   * STATICLET_JAVA_OPTS=<extra options> deploy/bin/staticlet <flags>}. The launcher adds its own JVM
   * settings and {@code exec}s java (as does {@code env}), so the process is the JVM itself: its pid
   * is the agent's. {@code jvmOptions} are only what {@code --agent-jvm-opts} (or the AppCDS training)
   * adds after the launcher's settings; by default none.
   */
  List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(List.of("env", "STATICLET_JAR=" + jar, "JAVA=" + java, "STATICLET_JAVA_OPTS=" + String.join(" ", jvmOptions),
        launcher.toString()));
    cmd.addAll(List.of(
        "--pod-manifest-path", manifestDir.toString(),
        "--hostname-override", node,
        "--root-dir", rootDir.toString(),
        "--read-only-port", Integer.toString(readOnlyPort),
        "--healthz-port", Integer.toString(healthzPort),
        "--address", "127.0.0.1",
        "--port", Integer.toString(kubeletPort),
        // the API server reaches the kubelet API on the Node's InternalIP: loopback
        "--node-ip", "127.0.0.1",
        "--sync-workers", Integer.toString(syncWorkers),
        "--file-check-frequency", "20s"));
    if (kubeconfig != null) {
      cmd.addAll(List.of("--kubeconfig", kubeconfig.toString()));
    }
    return cmd;
  }
}
