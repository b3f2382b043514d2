package io.staticlet.core.reconcile;

import static io.staticlet.core.runtime.ContainerState.CREATED;
import static io.staticlet.core.runtime.ContainerState.EXITED;
import static io.staticlet.core.runtime.ContainerState.RUNNING;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.staticlet.core.runtime.RuntimeContainer;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Dead-instance collection as data: observed instances in, the IDs to remove out. */
class DeadInstancesTest {
  private static final Instances I = Instances.ofUid("u1");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "nothing dead",
            List.of(I.sandbox("sb1", 0, RUNNING), I.app("c1", 0, "sb1", RUNNING)),
            "sb1",
            Set.of(),
            List.of()),
        Arguments.of(
            "one dead instance stays for lastState and logs",
            List.of(
                I.sandbox("sb1", 0, RUNNING),
                I.appExited("c1", 0, "sb1", 1),
                I.app("c2", 1, "sb1", RUNNING)),
            "sb1",
            Set.of(),
            List.of()),
        Arguments.of(
            "older dead instances go, the newest dead one stays",
            List.of(
                I.sandbox("sb1", 0, RUNNING),
                I.appExited("c1", 0, "sb1", 1),
                I.appExited("c2", 1, "sb1", 1),
                I.appExited("c3", 2, "sb1", 1),
                I.app("c4", 3, "sb1", RUNNING)),
            "sb1",
            Set.of(),
            List.of("c1", "c2")),
        Arguments.of(
            "init and app containers are collected separately",
            List.of(
                I.sandbox("sb1", 0, RUNNING),
                I.initExited("i1", 0, "sb1", 0),
                I.appExited("c1", 0, "sb1", 0)),
            "sb1",
            Set.of(),
            List.of()),
        Arguments.of(
            "a created instance the engine could not run counts as dead",
            List.of(
                I.sandbox("sb1", 0, RUNNING),
                I.appExited("c1", 0, "sb1", 1),
                I.appCannotRun("c2", 1, "sb1")),
            "sb1",
            Set.of(),
            List.of("c1")),
        Arguments.of(
            "a created, never started instance is not dead",
            List.of(
                I.sandbox("sb1", 0, RUNNING),
                I.appExited("c1", 0, "sb1", 1),
                I.app("c2", 1, "sb1", CREATED)),
            "sb1",
            Set.of(),
            List.of()),
        Arguments.of(
            "a dead sandbox nobody joined goes",
            List.of(
                I.sandbox("sb1", 0, EXITED),
                I.sandbox("sb2", 1, RUNNING),
                I.app("c1", 1, "sb2", RUNNING)),
            "sb2",
            Set.of(),
            List.of("sb1")),
        Arguments.of(
            "a dead sandbox a kept instance joined stays",
            List.of(
                I.sandbox("sb1", 0, EXITED),
                I.sandbox("sb2", 1, RUNNING),
                I.appExited("c1", 0, "sb1", 1),
                I.app("c2", 1, "sb2", RUNNING)),
            "sb2",
            Set.of(),
            List.of()),
        Arguments.of(
            "a dead sandbox goes with the instances that joined it",
            List.of(
                I.sandbox("sb1", 0, EXITED),
                I.sandbox("sb2", 1, EXITED),
                I.sandbox("sb3", 2, RUNNING),
                I.appExited("c1", 0, "sb1", 1),
                I.appExited("c2", 1, "sb2", 1),
                I.app("c3", 2, "sb3", RUNNING)),
            "sb3",
            Set.of(),
            List.of("c1", "sb1")),
        Arguments.of(
            "the current sandbox stays even when dead",
            List.of(I.sandbox("sb1", 0, EXITED)),
            "sb1",
            Set.of(),
            List.of()),
        Arguments.of(
            "instances being stopped count as dead (a new sandbox is created)",
            List.of(
                I.sandbox("sb1", 0, EXITED),
                I.appExited("c1", 0, "sb1", 1),
                I.app("c2", 1, "sb1", RUNNING)),
            "",
            Set.of("c2"),
            List.of("c1")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void removesWhatIsDeadAndNotNeeded(
      String name,
      List<RuntimeContainer> instances,
      String current,
      Set<String> stopping,
      List<String> removed) {
    DeadInstances.Verdict verdict = DeadInstances.collect(instances, current, stopping);

    assertEquals(removed, verdict.removeIds());
    assertEquals(instances.size(), verdict.remove().size() + verdict.keep().size());
    assertEquals(List.of(), verdict.keep().stream().filter(verdict.remove()::contains).toList());
  }
}
