package io.staticlet.app.kubeletapi;

import io.netty.handler.codec.http.HttpMethod;

/**
 * What a kubelet API request asks for, as the kubelet's authorizer sees it ({@code
 * pkg/kubelet/server/auth.go}): resource {@code nodes}, the node's name, a verb from the method and
 * a subresource from the path.
 */
public record RequestAttributes(
    String verb, String resource, String subresource, String name, String path) {
  /**
   * The kubelet's mapping: POST create, GET get, PUT update, PATCH patch, DELETE delete, anything
   * else "".
   */
  static RequestAttributes of(HttpMethod method, String path, String nodeName) {
    String verb =
        switch (method.name()) {
          case "POST" -> "create";
          case "GET" -> "get";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> "delete";
          default -> "";
        };
    String subresource = "proxy";
    if (isSubpath(path, "/stats")) {
      subresource = "stats";
    } else if (isSubpath(path, "/metrics")) {
      subresource = "metrics";
    } else if (isSubpath(path, "/logs")) {
      subresource = "log";
    } else if (isSubpath(path, "/spec")) {
      subresource = "spec";
    }
    return new RequestAttributes(verb, "nodes", subresource, nodeName, path);
  }

  /**
   * {@code path} is {@code prefix} or below it ({@code /metrics/resource} is below {@code
   * /metrics}, {@code /metricsx} is not).
   */
  private static boolean isSubpath(String path, String prefix) {
    return path.equals(prefix) || (path.startsWith(prefix) && path.charAt(prefix.length()) == '/');
  }
}
