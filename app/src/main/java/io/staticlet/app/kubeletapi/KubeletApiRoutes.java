package io.staticlet.app.kubeletapi;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The routes of the kubelet API, built from what the agent supplies. */
public final class KubeletApiRoutes {
  static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
  private final Map<String, Route> exact = new LinkedHashMap<>();
  private final Map<String, Route> prefixes = new LinkedHashMap<>();

  /**
   * @param healthz the agent's health: {@code ok} or its problem (as on the healthz port)
   * @param syncLoopHealthz the sync loop's health alone
   * @param podsJson a v1 PodList of the static pods
   * @param metrics the Prometheus text of {@code /metrics}
   */
  public KubeletApiRoutes(
      Supplier<FullHttpResponse> healthz,
      Supplier<FullHttpResponse> syncLoopHealthz,
      Supplier<byte[]> podsJson,
      Supplier<String> metrics) {
    exact.put("/healthz", Route.respond(healthz));
    exact.put("/healthz/ping", Route.respond(() -> Responses.text(HttpResponseStatus.OK, "ok")));
    exact.put("/healthz/syncloop", Route.respond(syncLoopHealthz));
    exact.put(
        "/pods",
        Route.respond(
            () -> Responses.bytes(HttpResponseStatus.OK, Responses.JSON, podsJson.get())));
    exact.put(
        "/metrics",
        Route.respond(
            () ->
                Responses.bytes(
                    HttpResponseStatus.OK,
                    PROMETHEUS,
                    metrics.get().getBytes(StandardCharsets.UTF_8))));
  }

  /** {@code /containerLogs/{namespace}/{pod}/{container}} from the engine's logs. */
  public KubeletApiRoutes withContainerLogs(
      ContainerLocator locator, ContainerRuntime runtime, Clock clock) {
    return prefix(ContainerLogsRoute.PREFIX, new ContainerLogsRoute(locator, runtime, clock));
  }

  /**
   * {@code /configz}: the JSON {@link Configz#render} made (a debugging handler, as the kubelet's).
   */
  public KubeletApiRoutes withConfigz(String json) {
    return exact("/configz", Route.respond(() -> Responses.json(HttpResponseStatus.OK, json)));
  }

  /**
   * {@code /metrics/resource} and {@code /stats/summary}: CPU and memory of the node and of the
   * running containers of {@code pods}, from {@code /proc} and the containers' cgroups.
   */
  public KubeletApiRoutes withResourceStats(
      Supplier<Map<PodKey, StaticPod>> pods,
      ContainerRuntime runtime,
      String nodeName,
      Clock clock) {
    ResourceRoutes resources =
        new ResourceRoutes(new ResourceSampler(pods, runtime, CgroupStats.host(), clock), nodeName);
    exact("/metrics/resource", Route.respond(resources::metrics));
    return exact("/stats/summary", Route.respond(resources::summary));
  }

  /** Health answers as the kubelet's: 200 {@code ok}, or 500 with the problem. */
  public static FullHttpResponse health(boolean ok, String problem) {
    return ok
        ? Responses.text(HttpResponseStatus.OK, "ok")
        : Responses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "unhealthy: " + problem + "\n");
  }

  KubeletApiRoutes exact(String path, Route route) {
    exact.put(path, route);
    return this;
  }

  KubeletApiRoutes prefix(String path, Route route) {
    prefixes.put(path, route);
    return this;
  }

  Map<String, Route> exact() {
    return exact;
  }

  Map<String, Route> prefixes() {
    return prefixes;
  }
}
