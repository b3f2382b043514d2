package io.staticlet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The node's API requests in a time window, counted from the API server's audit log (Metadata level
 * for {@code system:nodes}, see {@link AuditedControlPlane}): every request the server received
 * from {@code system:node:<node>} with its receive time in the window, once per audit ID (a watch
 * logs a "started" and a "complete" line), also broken down by verb and resource.
 */
record ApiRequests(long total, Map<String, Long> byVerbAndResource) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static ApiRequests count(Path auditLog, String node, Instant from, Instant to)
      throws IOException {
    String user = "system:node:" + node;
    Set<String> seen = new HashSet<>();
    Map<String, Long> breakdown = new TreeMap<>();
    try (BufferedReader in = Files.newBufferedReader(auditLog, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.contains(user)) {
          continue;
        }
        JsonNode event = JSON.readTree(line);
        if (!user.equals(event.path("user").path("username").asText())) {
          continue;
        }
        Instant received = Instant.parse(event.path("requestReceivedTimestamp").asText());
        if (received.isBefore(from)
            || !received.isBefore(to)
            || !seen.add(event.path("auditID").asText())) {
          continue;
        }
        JsonNode ref = event.path("objectRef");
        String resource =
            ref.path("resource").asText("(none)")
                + (ref.hasNonNull("subresource") ? "/" + ref.path("subresource").asText() : "");
        breakdown.merge(event.path("verb").asText() + " " + resource, 1L, Long::sum);
      }
    }
    return new ApiRequests(seen.size(), breakdown);
  }
}
