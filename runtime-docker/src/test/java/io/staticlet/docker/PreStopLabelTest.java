package io.staticlet.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.staticlet.core.runtime.LifecycleHandler;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PreStopLabelTest {
  @Test
  void everyHandlerReadsBackAsWritten() {
    List<LifecycleHandler> handlers =
        List.of(
            new LifecycleHandler.Exec(List.of("sh", "-c", "sleep 1")),
            new LifecycleHandler.HttpGet(
                "HTTPS",
                "10.0.0.1",
                "8443",
                "/quit",
                List.of(new LifecycleHandler.Header("X", "1"))),
            new LifecycleHandler.HttpGet("", "", "admin", "", List.of()),
            new LifecycleHandler.TcpSocket("", "80"),
            new LifecycleHandler.Sleep(7),
            new LifecycleHandler.Empty());
    for (LifecycleHandler handler : handlers) {
      assertEquals(
          Optional.of(handler),
          PreStopLabel.read(PreStopLabel.write(handler), "c"),
          handler.toString());
    }
  }

  @Test
  void writesTheKubeletsJsonSoOlderContainersAreAdopted() {
    assertEquals(
        "{\"exec\":{\"command\":[\"true\"]}}",
        PreStopLabel.write(new LifecycleHandler.Exec(List.of("true"))));
    assertEquals(
        Optional.of(new LifecycleHandler.HttpGet("", "", "8080", "/quit", List.of())),
        PreStopLabel.read(
            "{\"httpGet\":{\"path\":\"/quit\",\"port\":8080,\"unknownField\":true}}", "c"));
  }
}
