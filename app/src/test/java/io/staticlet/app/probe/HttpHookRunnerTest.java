package io.staticlet.app.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder;
import io.staticlet.core.container.LifecycleHandlers;
import io.staticlet.core.runtime.LifecycleHandler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpHookRunnerTest {
  private final TestHttpServer server = new TestHttpServer().route("/drain", 500);
  private final HttpHookRunner hooks =
      new HttpHookRunner(
          new HttpGetProber(Executors.newCachedThreadPool()),
          id ->
              id.equals("c1")
                  ? List.of(
                      new ContainerPortBuilder()
                          .withName("admin")
                          .withContainerPort(server.port())
                          .build())
                  : List.of());

  @AfterEach
  void stop() {
    server.close();
  }

  private static LifecycleHandler httpGet(IntOrString port) {
    return LifecycleHandlers.of(
        new LifecycleHandlerBuilder()
            .withNewHttpGet()
            .withPath("/drain")
            .withPort(port)
            .endHttpGet()
            .build());
  }

  @Test
  void anyHttpResponseIsSuccessAndGoesToThePodIp() {
    assertEquals(
        Optional.empty(),
        hooks.run(
            "c1", "127.0.0.1", httpGet(new IntOrString(server.port())), Duration.ofSeconds(2)));
    assertEquals(List.of("/drain"), server.paths);
  }

  @Test
  void resolvesANamedPortFromTheContainersPorts() {
    assertEquals(
        Optional.empty(),
        hooks.run("c1", "127.0.0.1", httpGet(new IntOrString("admin")), Duration.ofSeconds(2)));
  }

  @Test
  void anUnknownPortNameFails() {
    Optional<String> failure =
        hooks.run("c2", "127.0.0.1", httpGet(new IntOrString("admin")), Duration.ofSeconds(2));

    assertTrue(failure.orElse("").contains("unable to find port admin"), failure.toString());
  }

  @Test
  void tcpSocketIsNotAHookHandler() {
    LifecycleHandler tcp =
        LifecycleHandlers.of(
            new LifecycleHandlerBuilder()
                .withNewTcpSocket()
                .withPort(new IntOrString(80))
                .endTcpSocket()
                .build());

    assertTrue(hooks.run("c1", "127.0.0.1", tcp, Duration.ofSeconds(1)).isPresent());
  }
}
