package io.staticlet.core.probe;

import java.util.List;
import java.util.Objects;

/**
 * What a probe does, with named ports already resolved against the container's ports. A probe that
 * cannot work (a port name the container does not declare) is {@link Unusable}: it fails on every
 * run with its reason, as the kubelet's does.
 */
public sealed interface ProbeAction
    permits ProbeAction.Exec,
        ProbeAction.HttpGet,
        ProbeAction.TcpSocket,
        ProbeAction.Grpc,
        ProbeAction.Unusable {

  /** Runs {@code command} inside the container; exit code 0 is success. */
  record Exec(List<String> command) implements ProbeAction {
    public Exec {
      command = List.copyOf(command);
    }
  }

  /**
   * GET {@code scheme://host:port/path}; any 2xx or 3xx is success.
   *
   * @param host empty for the pod's IP
   * @param path path with an optional query, always starting with {@code /}
   */
  record HttpGet(String scheme, String host, int port, String path, List<Header> headers)
      implements ProbeAction {
    public HttpGet {
      scheme = scheme == null || scheme.isEmpty() ? "HTTP" : scheme;
      host = host == null ? "" : host;
      path = path == null || path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
      headers = List.copyOf(headers);
    }

    public boolean https() {
      return "HTTPS".equalsIgnoreCase(scheme);
    }
  }

  /** One request header of an {@code httpGet} probe or hook. */
  record Header(String name, String value) {
    public Header {
      Objects.requireNonNull(name, "name");
      value = value == null ? "" : value;
    }
  }

  /** Opens a TCP connection; connecting is success. {@code host} empty for the pod's IP. */
  record TcpSocket(String host, int port) implements ProbeAction {
    public TcpSocket {
      host = host == null ? "" : host;
    }
  }

  /** {@code grpc.health.v1.Health/Check} on the pod's IP; {@code SERVING} is success. */
  record Grpc(int port, String service) implements ProbeAction {
    public Grpc {
      service = service == null ? "" : service;
    }
  }

  /** A probe that can never succeed, and why. */
  record Unusable(String reason) implements ProbeAction {
    public Unusable {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
