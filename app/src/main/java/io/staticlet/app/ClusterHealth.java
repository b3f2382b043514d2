package io.staticlet.app;

import io.staticlet.app.http.AgentHttpServer.Response;
import io.staticlet.mirror.ClusterAgent;
import java.util.Optional;

/**
 * {@code GET /healthz/cluster}: the API connection's state. 200 {@code ok} while connected, the
 * Node registered and the credentials accepted (with the certificate's expiry); 500 with the reason
 * otherwise (not connected yet, API server unreachable, certificate expired, refused with 401, CSR
 * denied). Standalone mode: 200 {@code ok (standalone)}.
 */
final class ClusterHealth {
  private ClusterHealth() {}

  /**
   * The answer for {@code cluster}, null standalone. Called as {@code () -> response(cluster)}, not
   * through a {@code Supplier<ClusterAgent>}: a lambda whose signature names {@link ClusterAgent}
   * loads that class when it is created, standalone too.
   */
  static Response response(ClusterAgent cluster) {
    if (cluster == null) {
      return Response.text(200, "ok (standalone)\n");
    }
    String expiry =
        cluster.certificateNotAfter().map(t -> "client certificate expires " + t + "\n").orElse("");
    Optional<String> problem = cluster.problem();
    if (problem.isEmpty()) {
      return Response.text(200, "ok\n" + expiry);
    }
    return Response.text(500, "cluster unhealthy: " + problem.get() + "\n" + expiry);
  }
}
