package io.staticlet.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the agent under test is started: which java, JVM options and environment, which jar and flags. The
 * kubeconfig is null in standalone mode.
 */
record AgentLaunch(
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

  List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(java.toString());
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-jar", jar.toString(),
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
