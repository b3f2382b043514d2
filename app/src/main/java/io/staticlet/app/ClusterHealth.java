package io.staticlet.app;

import io.staticlet.app.http.AgentHttpServer.Response;
import io.staticlet.mirror.ClusterAgent;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /healthz/cluster}: the API connection's state. 200 {@code ok} while connected, the
 * Node registered and the credentials accepted (with the certificate's expiry); 500 with the reason
 * otherwise (not connected yet, API server unreachable, certificate expired, refused with 401, CSR
 * denied). Standalone mode: 200 {@code ok (standalone)}.
 */
final class ClusterHealth {
  private ClusterHealth() {}

  static Supplier<Response> route(Supplier<ClusterAgent> cluster) {
    return () -> {
      ClusterAgent c = cluster.get();
      if (c == null) {
        return Response.text(200, "ok (standalone)\n");
      }
      String expiry = c.certificateNotAfter().map(t -> "client certificate expires " + t + "\n").orElse("");
      Optional<String> problem = c.problem();
      if (problem.isEmpty()) {
        return Response.text(200, "ok\n" + expiry);
      }
      return Response.text(500, "cluster unhealthy: " + problem.get() + "\n" + expiry);
    };
  }
}
