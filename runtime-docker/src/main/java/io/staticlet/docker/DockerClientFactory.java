package io.staticlet.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;

/**
 * Builds docker-java clients on the httpclient5 transport (docs/ecosystem.md B.5). The API version
 * is deliberately not pinned: unversioned paths work on old and new engines alike.
 */
public final class DockerClientFactory {
  /**
   * The deadline of an ordinary engine call (create, start, inspect, list, remove, exec set-up): no
   * answer for this long and the engine counts as not answering (DECISIONS.md 26). Stops and pulls
   * have their own deadlines ({@link StopWithDeadline}, {@link ImagePuller}).
   */
  public static final Duration COMMAND_RESPONSE_TIMEOUT = Duration.ofSeconds(30);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private DockerClientFactory() {}

  /** A client for ordinary commands: 100 connections, 5 s connect and 30 s response timeout. */
  public static DockerClient forCommands(String endpoint) {
    return create(endpoint, 100, COMMAND_RESPONSE_TIMEOUT);
  }

  /**
   * A client for long-lived streams (the event stream, followed logs): httpclient5 applies the
   * response timeout to every read, so a quiet stream would otherwise be cut after it. Up to 32
   * streams at once (each {@code kubectl logs -f} holds one); connections open only when used.
   */
  public static DockerClient forStreams(String endpoint) {
    return create(endpoint, 32, null);
  }

  /**
   * A client for {@code docker stop}, whose answer waits for the grace period: the deadline is the
   * caller's.
   */
  static DockerClient forStops(String endpoint) {
    return create(endpoint, StopWithDeadline.MAX_PENDING, null);
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
    if (responseTimeout == null) {
      return DockerClientImpl.getInstance(config, http.build());
    }
    http.responseTimeout(responseTimeout);
    return DockerClientImpl.getInstance(
        config, new DeadlineHttpClient(http.build(), responseTimeout, maxConnections));
  }
}
