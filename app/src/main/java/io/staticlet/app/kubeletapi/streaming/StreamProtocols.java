package io.staticlet.app.kubeletapi.streaming;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sub-protocol negotiation of {@code X-Stream-Protocol-Version} ({@code
 * apimachinery/pkg/util/httpstream/httpstream.go}): the first protocol the client offers that the
 * server supports wins; a client that offers none gets the legacy protocol.
 */
public final class StreamProtocols {
  public static final String HEADER = "X-Stream-Protocol-Version";
  public static final String ACCEPTED_HEADER = "X-Accepted-Stream-Protocol-Versions";
  public static final String V4 = "v4.channel.k8s.io";
  public static final String V3 = "v3.channel.k8s.io";
  public static final String V2 = "v2.channel.k8s.io";
  public static final String V1 = "channel.k8s.io";
  public static final String PORT_FORWARD = "portforward.k8s.io";

  /** What exec and attach speak, best first. */
  public static final List<String> REMOTE_COMMAND = List.of(V4, V3, V2, V1);

  public static final List<String> PORT_FORWARDING = List.of(PORT_FORWARD);

  private StreamProtocols() {}

  /**
   * The chosen protocol, {@code ""} when the client asked for none, empty when nothing matches.
   *
   * @param offered the header's values; each may hold a comma-separated list
   */
  public static Optional<String> negotiate(List<String> offered, List<String> supported) {
    List<String> client = new ArrayList<>();
    for (String value : offered) {
      for (String p : value.split(",")) {
        if (!p.isBlank()) {
          client.add(p.trim());
        }
      }
    }
    if (client.isEmpty()) {
      return Optional.of("");
    }
    return client.stream().filter(supported::contains).findFirst();
  }

  /** True when exec's or attach's {@code protocol} has the resize stream (v3 and later). */
  public static boolean supportsResize(String protocol) {
    return V4.equals(protocol) || V3.equals(protocol);
  }
}
