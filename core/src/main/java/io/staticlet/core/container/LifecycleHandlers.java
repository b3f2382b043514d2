package io.staticlet.core.container;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.staticlet.core.runtime.LifecycleHandler;
import java.util.List;

/**
 * A manifest's {@code postStart}/{@code preStop} handler as core's {@link LifecycleHandler} value.
 * The first action the kubelet would run wins: {@code exec}, then {@code sleep}, then {@code
 * httpGet}, then {@code tcpSocket}; none is {@link LifecycleHandler.Empty}.
 */
public final class LifecycleHandlers {
  private LifecycleHandlers() {}

  public static LifecycleHandler of(io.fabric8.kubernetes.api.model.LifecycleHandler handler) {
    if (handler.getExec() != null && handler.getExec().getCommand() != null) {
      return new LifecycleHandler.Exec(handler.getExec().getCommand());
    }
    if (handler.getSleep() != null && handler.getSleep().getSeconds() != null) {
      return new LifecycleHandler.Sleep(handler.getSleep().getSeconds());
    }
    if (handler.getHttpGet() != null) {
      var get = handler.getHttpGet();
      List<LifecycleHandler.Header> headers =
          get.getHttpHeaders() == null
              ? List.of()
              : get.getHttpHeaders().stream()
                  .map(h -> new LifecycleHandler.Header(h.getName(), h.getValue()))
                  .toList();
      return new LifecycleHandler.HttpGet(
          get.getScheme(), get.getHost(), port(get.getPort()), get.getPath(), headers);
    }
    if (handler.getTcpSocket() != null) {
      return new LifecycleHandler.TcpSocket(
          handler.getTcpSocket().getHost(), port(handler.getTcpSocket().getPort()));
    }
    return new LifecycleHandler.Empty();
  }

  private static String port(IntOrString port) {
    if (port == null) {
      return "";
    }
    return port.getIntVal() != null ? Integer.toString(port.getIntVal()) : port.getStrVal();
  }
}
