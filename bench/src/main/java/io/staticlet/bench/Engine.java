package io.staticlet.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.time.Duration;

/**
 * The local Docker engine through docker-java on the httpclient5 transport, as the agent talks to
 * it: one client for commands (many connections, for the parallel baseline) and one for the event
 * stream (no response timeout, which httpclient5 would apply to every read of a quiet stream).
 */
record Engine(DockerClient commands, DockerClient streams) implements AutoCloseable {

  static Engine connect() {
    String host = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
    return new Engine(client(host, 64, Duration.ofMinutes(2)), client(host, 2, null));
  }

  private static DockerClient client(String host, int maxConnections, Duration responseTimeout) {
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
    ApacheDockerHttpClient.Builder http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(maxConnections)
            .connectionTimeout(Duration.ofSeconds(5));
    if (responseTimeout != null) {
      http.responseTimeout(responseTimeout);
    }
    return DockerClientImpl.getInstance(config, http.build());
  }

  String version() {
    return commands.versionCmd().exec().getVersion();
  }

  /**
   * Fails with a hint when an image the agent and the baseline need is not there (no registry is
   * reachable).
   */
  void requireImage(String image) {
    try {
      commands.inspectImageCmd(image).exec();
    } catch (NotFoundException e) {
      throw new IllegalStateException(
          "image " + image + " is missing: run deploy/images/build-images.sh");
    }
  }

  @Override
  public void close() {
    try {
      streams.close();
      commands.close();
    } catch (IOException e) {
      // closing: nothing left to do
    }
  }
}
