package io.staticlet.core.runtime;

import java.util.List;
import java.util.Objects;

/**
 * A container's {@code postStart} or {@code preStop} handler as a value. The runtime records the
 * preStop handler on the container (so a restarted agent can still run it) and hands it back on
 * {@link RuntimeContainer#preStop()}.
 */
public sealed interface LifecycleHandler
    permits LifecycleHandler.Exec,
        LifecycleHandler.HttpGet,
        LifecycleHandler.TcpSocket,
        LifecycleHandler.Sleep,
        LifecycleHandler.Empty {

  /** Runs {@code command} inside the container; exit code 0 is success. */
  record Exec(List<String> command) implements LifecycleHandler {
    public Exec {
      command = List.copyOf(command);
    }
  }

  /**
   * GET {@code scheme://host:port/path}.
   *
   * @param host empty for the pod's IP
   * @param port a number or the name of one of the container's ports
   * @param scheme {@code HTTP} or {@code HTTPS}, empty for the default
   */
  record HttpGet(String scheme, String host, String port, String path, List<Header> headers)
      implements LifecycleHandler {
    public HttpGet {
      scheme = scheme == null ? "" : scheme;
      host = host == null ? "" : host;
      port = port == null ? "" : port;
      path = path == null ? "" : path;
      headers = List.copyOf(headers);
    }
  }

  /** One request header of an {@code httpGet} handler. */
  record Header(String name, String value) {
    public Header {
      Objects.requireNonNull(name, "name");
      value = value == null ? "" : value;
    }
  }

  /**
   * {@code tcpSocket}: accepted by the API for compatibility, but no valid hook handler (it fails).
   */
  record TcpSocket(String host, String port) implements LifecycleHandler {
    public TcpSocket {
      host = host == null ? "" : host;
      port = port == null ? "" : port;
    }
  }

  /** Waits {@code seconds} before the container is signalled (bounded by the grace period). */
  record Sleep(long seconds) implements LifecycleHandler {}

  /** A handler naming no action: it fails when run. */
  record Empty() implements LifecycleHandler {}
}
