package io.staticlet.core.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The computed status, rendered as the API shows it, equals what the computer produced before
 * statuses became values (recorded in {@code status-golden/<case>.json}).
 */
class PodStatusGoldenTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final PodStatusComputer computer = new PodStatusComputer();

  static Stream<String> cases() {
    List<String> names =
        new ArrayList<>(PodStatusCases.all().stream().map(PodStatusCases.Case::name).toList());
    names.add("ready-after-not-ready");
    names.add("failed-stays-failed");
    return names.stream();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void renderedStatusEqualsTheRecordedOne(String name) throws IOException {
    JsonNode actual = JSON.valueToTree(rendered(name));
    try (InputStream in = getClass().getResourceAsStream("/status-golden/" + name + ".json")) {
      if (in == null) {
        throw new AssertionError("no recorded status for " + name);
      }
      assertEquals(JSON.readTree(in).toPrettyString(), actual.toPrettyString(), name);
    }
  }

  private PodStatus rendered(String name) {
    Map<String, PodStatusComputer.Input> byName = new HashMap<>();
    PodStatusCases.all().forEach(c -> byName.put(c.name(), c.input()));
    switch (name) {
      case "ready-after-not-ready" -> {
        PodStatusComputer.Input before = byName.get("running-not-ready");
        var previous = computer.compute(at(before, null, Duration.ofMinutes(-5)));
        return render(computer.compute(at(byName.get("running-ready"), previous, Duration.ZERO)));
      }
      case "failed-stays-failed" -> {
        var previous = computer.compute(byName.get("terminated-with-message"));
        PodStatusComputer.Input running = byName.get("terminated-with-message");
        var now =
            new PodStatusComputer.Input(
                running.pod(),
                List.of(
                    PodStatusCases.sandbox(running.pod(), 1, true),
                    PodStatusCases.app(running.pod(), "task", 1, PodStatusCases.running())),
                Map.of(),
                previous,
                running.hostIp(),
                running.now(),
                running.health());
        return render(computer.compute(now));
      }
      default -> {
        return render(computer.compute(byName.get(name)));
      }
    }
  }

  private static PodStatusComputer.Input at(
      PodStatusComputer.Input in, PodStatusValue previous, Duration shift) {
    return new PodStatusComputer.Input(
        in.pod(),
        in.containers(),
        in.waiting(),
        previous,
        in.hostIp(),
        in.now().plus(shift),
        in.health());
  }

  private static PodStatus render(PodStatusValue status) {
    return PodStatusRenderer.render(status);
  }
}
