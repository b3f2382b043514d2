package io.staticlet.docker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ExecActionBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder;
import io.fabric8.kubernetes.api.model.SleepAction;
import io.fabric8.kubernetes.api.model.TCPSocketActionBuilder;
import io.staticlet.core.container.LifecycleHandlers;
import io.staticlet.core.runtime.LifecycleHandler;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The preStop handler in the {@code annotation.io.kubernetes.container.preStopHandler} label, as
 * the kubelet writes it: a Kubernetes {@code LifecycleHandler} in JSON. The label stays on the
 * container so that an agent restarted without the manifest can still run the hook; this class is
 * the one place that writes and parses it. Stateless, thread-safe.
 */
final class PreStopLabel {
  private static final Logger log = LoggerFactory.getLogger(PreStopLabel.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private PreStopLabel() {}

  static String write(LifecycleHandler handler) {
    LifecycleHandlerBuilder b = new LifecycleHandlerBuilder();
    if (handler instanceof LifecycleHandler.Exec exec) {
      b.withExec(new ExecActionBuilder().withCommand(exec.command()).build());
    } else if (handler instanceof LifecycleHandler.Sleep sleep) {
      b.withSleep(new SleepAction(sleep.seconds()));
    } else if (handler instanceof LifecycleHandler.HttpGet get) {
      b.withHttpGet(
          new HTTPGetActionBuilder()
              .withScheme(emptyToNull(get.scheme()))
              .withHost(emptyToNull(get.host()))
              .withPath(emptyToNull(get.path()))
              .withPort(port(get.port()))
              .withHttpHeaders(
                  get.headers().isEmpty()
                      ? null
                      : get.headers().stream()
                          .map(h -> new HTTPHeader(h.name(), h.value()))
                          .toList())
              .build());
    } else if (handler instanceof LifecycleHandler.TcpSocket tcp) {
      b.withTcpSocket(
          new TCPSocketActionBuilder()
              .withHost(emptyToNull(tcp.host()))
              .withPort(port(tcp.port()))
              .build());
    }
    return ModelJson.write(b.build());
  }

  /**
   * The handler of a label value, empty for no label. An unreadable label (tampered with) is a
   * handler without action: running it fails visibly ({@code FailedPreStopHook}) at the stop,
   * instead of a warning on every listing.
   */
  static Optional<LifecycleHandler> read(String json, String containerName) {
    if (json == null || json.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          LifecycleHandlers.of(
              JSON.readValue(json, io.fabric8.kubernetes.api.model.LifecycleHandler.class)));
    } catch (Exception e) {
      log.debug(
          "preStop hook label unreadable container={} error={}", containerName, e.getMessage());
      return Optional.of(new LifecycleHandler.Empty());
    }
  }

  private static IntOrString port(String port) {
    if (port.isEmpty()) {
      return null;
    }
    return port.chars().allMatch(Character::isDigit) && port.length() < 10
        ? new IntOrString(Integer.parseInt(port))
        : new IntOrString(port);
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }
}
