package io.staticlet.app.config;

/**
 * Which Docker engine the agent talks to, from the kubelet 1.20's runtime flags: with {@code
 * --container-runtime=docker} (the kubelet's default) the engine is {@code --docker-endpoint} and
 * {@code --container-runtime-endpoint} is only the dockershim's own socket; with {@code remote} (or
 * without {@code --container-runtime}, staticlet's historical form) the engine is {@code
 * --container-runtime-endpoint}, which must then speak the Docker Engine API.
 */
final class RuntimeEndpoints {
  static final String DOCKER_DEFAULT = "unix:///var/run/docker.sock";

  /** The kubelet's default --container-runtime-endpoint: the dockershim it would run itself. */
  static final String DOCKERSHIM_DEFAULT = "unix:///var/run/dockershim.sock";

  private RuntimeEndpoints() {}

  static String engine(
      String containerRuntime, String containerRuntimeEndpoint, String dockerEndpoint) {
    String docker =
        dockerEndpoint == null || dockerEndpoint.isBlank() ? DOCKER_DEFAULT : dockerEndpoint.trim();
    if (containerRuntime != null
        && !containerRuntime.equals("docker")
        && !containerRuntime.equals("remote")) {
      throw new ConfigException(
          "--container-runtime: expected docker or remote, got \"" + containerRuntime + "\"");
    }
    boolean dockershim = "docker".equals(containerRuntime);
    if (dockershim
        || containerRuntimeEndpoint == null
        || containerRuntimeEndpoint.isBlank()
        || containerRuntimeEndpoint.trim().equals(DOCKERSHIM_DEFAULT)) {
      return docker;
    }
    return containerRuntimeEndpoint.trim();
  }
}
