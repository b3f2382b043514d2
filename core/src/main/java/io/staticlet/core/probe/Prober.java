package io.staticlet.core.probe;

import io.staticlet.core.runtime.ContainerNotFoundException;
import io.staticlet.core.runtime.RuntimeUnavailableException;
import java.util.Optional;

/**
 * Runs one probe once: picks the handler, resolves the target (the probe's host, else the pod's IP,
 * which is the node's for hostNetwork pods) and turns errors into results. May block up to about
 * the probe's timeout; call it off the scheduler thread. Thread-safe.
 */
public final class Prober {
  private final ExecProber exec;
  private final NetworkProber network;

  public Prober(ExecProber exec, NetworkProber network) {
    this.exec = exec;
    this.network = network;
  }

  /**
   * The result, or empty when the probe could not be run at all (the engine is unreachable or the
   * container is already gone): like the kubelet, such a run neither counts as success nor failure.
   */
  public Optional<ProbeResult> probe(ProbeSpec spec, String containerId, String podIp) {
    try {
      return Optional.of(run(spec, containerId, podIp));
    } catch (ContainerNotFoundException | RuntimeUnavailableException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of(ProbeResult.failure(e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
  }

  private ProbeResult run(ProbeSpec spec, String containerId, String podIp) {
    ProbeAction action = spec.action();
    if (action instanceof ProbeAction.Exec e) {
      return exec.probe(containerId, e.command(), spec.timeout());
    }
    if (action instanceof ProbeAction.Unusable u) {
      return ProbeResult.failure(u.reason());
    }
    if (action instanceof ProbeAction.HttpGet get) {
      String host = get.host().isEmpty() ? podIp : get.host();
      return host.isEmpty() ? noIp() : network.httpGet(get, host, spec.timeout());
    }
    if (action instanceof ProbeAction.TcpSocket tcp) {
      String host = tcp.host().isEmpty() ? podIp : tcp.host();
      return host.isEmpty() ? noIp() : network.tcpSocket(host, tcp.port(), spec.timeout());
    }
    if (action instanceof ProbeAction.Grpc grpc) {
      return podIp.isEmpty()
          ? noIp()
          : network.grpc(podIp, grpc.port(), grpc.service(), spec.timeout());
    }
    throw new IllegalStateException("unknown probe action " + action);
  }

  private static ProbeResult noIp() {
    return ProbeResult.failure("the pod has no IP address yet");
  }
}
