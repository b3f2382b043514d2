package io.staticlet.app.kubeletapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestAttributesTest {
  @ParameterizedTest
  @CsvSource({
    "GET, /stats/summary, get, stats",
    "GET, /stats, get, stats",
    "POST, /stats/container, create, stats",
    "GET, /statsx, get, proxy",
    "GET, /metrics, get, metrics",
    "GET, /metrics/resource, get, metrics",
    "GET, /metrics/cadvisor, get, metrics",
    "GET, /metricsfoo, get, proxy",
    "GET, /logs/, get, log",
    "GET, /logs/syslog, get, log",
    "GET, /spec/, get, spec",
    "GET, /containerLogs/default/web/app, get, proxy",
    "POST, /exec/default/web/app, create, proxy",
    "GET, /exec/default/web/app, get, proxy",
    "POST, /portForward/default/web, create, proxy",
    "POST, /attach/default/web/app, create, proxy",
    "POST, /run/default/web/app, create, proxy",
    "GET, /pods, get, proxy",
    "GET, /configz, get, proxy",
    "GET, /healthz, get, proxy",
    "PUT, /pods, update, proxy",
    "PATCH, /pods, patch, proxy",
    "DELETE, /pods, delete, proxy",
  })
  void methodGivesTheVerbAndPathTheSubresourceAsTheKubelet(
      String method, String path, String verb, String subresource) {
    RequestAttributes a = RequestAttributes.of(HttpMethod.valueOf(method), path, "node1");

    assertEquals(new RequestAttributes(verb, "nodes", subresource, "node1", path), a);
  }

  @Test
  void anUnknownMethodHasNoVerb() {
    assertEquals("", RequestAttributes.of(HttpMethod.OPTIONS, "/pods", "n").verb());
    assertEquals("", RequestAttributes.of(HttpMethod.HEAD, "/pods", "n").verb());
  }
}
