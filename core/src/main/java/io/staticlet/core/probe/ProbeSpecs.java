package io.staticlet.core.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a container's probes from the (defaulted) Kubernetes model into {@link ProbeSpec}s. */
public final class ProbeSpecs {
  private ProbeSpecs() {}

  /** The container's probes, startup first (it gates the others). */
  public static List<ProbeSpec> of(Container container) {
    List<ProbeSpec> specs = new ArrayList<>(3);
    of(ProbeType.STARTUP, container.getStartupProbe(), container).ifPresent(specs::add);
    of(ProbeType.LIVENESS, container.getLivenessProbe(), container).ifPresent(specs::add);
    of(ProbeType.READINESS, container.getReadinessProbe(), container).ifPresent(specs::add);
    return specs;
  }

  public static boolean hasProbe(Container container, ProbeType type) {
    return switch (type) {
      case STARTUP -> container.getStartupProbe() != null;
      case LIVENESS -> container.getLivenessProbe() != null;
      case READINESS -> container.getReadinessProbe() != null;
    };
  }

  static Optional<ProbeSpec> of(ProbeType type, Probe probe, Container container) {
    if (probe == null) {
      return Optional.empty();
    }
    Optional<Duration> killGrace =
        type.killsOnFailure() && probe.getTerminationGracePeriodSeconds() != null
            ? Optional.of(Duration.ofSeconds(probe.getTerminationGracePeriodSeconds()))
            : Optional.empty();
    return Optional.of(
        new ProbeSpec(
            type,
            action(probe, container.getPorts()),
            Duration.ofSeconds(orDefault(probe.getInitialDelaySeconds(), 0)),
            Duration.ofSeconds(Math.max(1, orDefault(probe.getPeriodSeconds(), 10))),
            Duration.ofSeconds(Math.max(1, orDefault(probe.getTimeoutSeconds(), 1))),
            type.killsOnFailure() ? 1 : orDefault(probe.getSuccessThreshold(), 1),
            orDefault(probe.getFailureThreshold(), 3),
            killGrace));
  }

  static ProbeAction action(Probe probe, List<ContainerPort> ports) {
    if (probe.getExec() != null
        && probe.getExec().getCommand() != null
        && !probe.getExec().getCommand().isEmpty()) {
      return new ProbeAction.Exec(probe.getExec().getCommand());
    }
    if (probe.getHttpGet() != null) {
      return httpGet(probe.getHttpGet(), ports);
    }
    if (probe.getTcpSocket() != null) {
      int port = port(probe.getTcpSocket().getPort(), ports);
      return port > 0
          ? new ProbeAction.TcpSocket(probe.getTcpSocket().getHost(), port)
          : unresolved(probe.getTcpSocket().getPort());
    }
    if (probe.getGrpc() != null && probe.getGrpc().getPort() != null) {
      return new ProbeAction.Grpc(probe.getGrpc().getPort(), probe.getGrpc().getService());
    }
    return new ProbeAction.Unusable("probe has no handler (exec, httpGet, tcpSocket or grpc)");
  }

  /**
   * An {@code httpGet} probe or hook; a named port is looked up in {@code ports} (the container's),
   * then read as a number, as the kubelet does.
   */
  public static ProbeAction httpGet(HTTPGetAction get, List<ContainerPort> ports) {
    int port = port(get.getPort(), ports);
    if (port <= 0) {
      return unresolved(get.getPort());
    }
    List<ProbeAction.Header> headers = new ArrayList<>();
    if (get.getHttpHeaders() != null) {
      for (HTTPHeader h : get.getHttpHeaders()) {
        if (h.getName() != null && !h.getName().isEmpty()) {
          headers.add(new ProbeAction.Header(h.getName(), h.getValue()));
        }
      }
    }
    return new ProbeAction.HttpGet(get.getScheme(), get.getHost(), port, get.getPath(), headers);
  }

  /** The port number, or 0 when it cannot be resolved. */
  static int port(IntOrString port, List<ContainerPort> ports) {
    if (port == null) {
      return 0;
    }
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    String name = port.getStrVal();
    if (name == null || name.isEmpty()) {
      return 0;
    }
    if (ports != null) {
      for (ContainerPort p : ports) {
        if (name.equals(p.getName()) && p.getContainerPort() != null) {
          return p.getContainerPort();
        }
      }
    }
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static ProbeAction unresolved(IntOrString port) {
    String what =
        port == null
            ? "no port"
            : port.getIntVal() != null ? String.valueOf(port.getIntVal()) : port.getStrVal();
    return new ProbeAction.Unusable("unable to find port " + what + " in the container's ports");
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null || value == 0 ? fallback : value;
  }
}
