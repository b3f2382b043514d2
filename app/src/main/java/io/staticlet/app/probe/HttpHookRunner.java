package io.staticlet.app.probe;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.staticlet.core.hooks.LifecycleHookRunner;
import io.staticlet.core.probe.ProbeAction;
import io.staticlet.core.probe.ProbeSpecs;
import io.staticlet.core.runtime.LifecycleHandler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The network half of lifecycle hooks, behind core's {@code ExecHookRunner}: {@code httpGet} to the
 * hook's host or the pod's IP; any HTTP response counts as success, only a request that does not go
 * through fails (the kubelet's rule). {@code tcpSocket} is not a valid hook handler and fails, as
 * in the kubelet. Thread-safe; blocks up to the hook's timeout.
 */
final class HttpHookRunner implements LifecycleHookRunner {
  private final HttpGetProber http;
  private final Function<String, List<ContainerPort>> portsOfContainer;

  /**
   * @param portsOfContainer the declared ports of a container by ID, to resolve a named hook port
   */
  HttpHookRunner(HttpGetProber http, Function<String, List<ContainerPort>> portsOfContainer) {
    this.http = http;
    this.portsOfContainer = portsOfContainer;
  }

  @Override
  public Optional<String> run(
      String containerId, String podIp, LifecycleHandler handler, Duration timeout) {
    if (!(handler instanceof LifecycleHandler.HttpGet hook)) {
      return Optional.of("tcpSocket is not supported as a lifecycle hook handler");
    }
    HTTPGetAction get = httpGet(hook);
    IntOrString port = get.getPort();
    List<ContainerPort> ports = isName(port) ? portsOfContainer.apply(containerId) : List.of();
    ProbeAction action = ProbeSpecs.httpGet(get, ports);
    if (action instanceof ProbeAction.Unusable unusable) {
      return Optional.of("httpGet hook: " + unusable.reason());
    }
    ProbeAction.HttpGet request = (ProbeAction.HttpGet) action;
    String host = request.host().isEmpty() ? podIp : request.host();
    if (host == null || host.isEmpty()) {
      return Optional.of("httpGet hook: the pod has no IP address");
    }
    return http.hook(request, host, timeout).map(error -> "httpGet hook failed: " + error);
  }

  /** The hook in the model the probes' port resolution reads. */
  private static HTTPGetAction httpGet(LifecycleHandler.HttpGet hook) {
    String port = hook.port();
    return new HTTPGetActionBuilder()
        .withScheme(hook.scheme().isEmpty() ? null : hook.scheme())
        .withHost(hook.host().isEmpty() ? null : hook.host())
        .withPath(hook.path().isEmpty() ? null : hook.path())
        .withPort(
            port.isEmpty()
                ? null
                : port.chars().allMatch(Character::isDigit) && port.length() < 10
                    ? new IntOrString(Integer.parseInt(port))
                    : new IntOrString(port))
        .withHttpHeaders(
            hook.headers().stream().map(h -> new HTTPHeader(h.name(), h.value())).toList())
        .build();
  }

  private static boolean isName(IntOrString port) {
    return port != null
        && port.getStrVal() != null
        && !port.getStrVal().chars().allMatch(Character::isDigit);
  }
}
