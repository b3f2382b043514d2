package io.staticlet.e2e.release;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The healthz and read-only ports of an agent this test did not start as a Java process of its own.
 */
record AgentPorts(int healthz, int readOnly, int kubelet) {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  boolean healthy() {
    return get(healthz, "/healthz").filter("ok"::equals).isPresent();
  }

  /** {@code GET /pods}; empty while the port does not answer. */
  Optional<List<Pod>> pods() {
    return get(readOnly, "/pods")
        .map(
            body -> {
              try {
                return JSON.readValue(body, PodList.class).getItems();
              } catch (IOException e) {
                throw new AssertionError("/pods is not a PodList: " + body, e);
              }
            });
  }

  static Optional<String> get(int port, String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
