package io.staticlet.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;

/**
 * Builds docker-java clients on the httpclient5 transport (ECOSYSTEM.md B.5). The API version is
 * deliberately not pinned: unversioned paths work on old and new engines alike.
 */
public final class DockerClientFactory {
  /** Long enough for {@code docker stop} with a generous grace period and for slow pulls. */
  public static final Duration COMMAND_RESPONSE_TIMEOUT = Duration.ofMinutes(5);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private DockerClientFactory() {}

  /** A client for ordinary commands: 100 connections, 5 s connect and 5 min response timeout. */
  public static DockerClient forCommands(String endpoint) {
    return create(endpoint, 100, COMMAND_RESPONSE_TIMEOUT);
  }

  /**
   * A client for long-lived streams (the event stream): httpclient5 applies the response timeout
   * to every read, so a quiet event stream would otherwise be cut after it.
   */
  public static DockerClient forStreams(String endpoint) {
    return create(endpoint, 4, null);
  }

  static DockerClient create(String endpoint, int maxConnections, Duration responseTimeout) {
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(endpoint).build();
    ApacheDockerHttpClient.Builder http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(maxConnections)
            .connectionTimeout(CONNECT_TIMEOUT);
    if (responseTimeout != null) {
      http.responseTimeout(responseTimeout);
    }
    return DockerClientImpl.getInstance(config, http.build());
  }
}
