package io.staticlet.core.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestartPolicyTest {
  @ParameterizedTest(name = "{0} after exit {1}: restart={2}")
  @CsvSource({
    "Always, 0, true", "Always, 1, true", "Always, 137, true",
    "OnFailure, 0, false", "OnFailure, 1, true", "OnFailure, 137, true",
    "Never, 0, false", "Never, 1, false", "Never, 137, false"
  })
  void restartsPerTheKubeletsSemantics(String apiValue, int exitCode, boolean restarts) {
    RestartPolicy policy = RestartPolicy.of(apiValue);
    assertEquals(apiValue, policy.apiValue());
    assertEquals(restarts, policy.restartsAfter(exitCode));
  }

  @ParameterizedTest
  @CsvSource(
      value = {"''", "NULL"},
      nullValues = "NULL")
  void unsetMeansAlways(String apiValue) {
    assertEquals(RestartPolicy.ALWAYS, RestartPolicy.of(apiValue));
  }

  @ParameterizedTest
  @CsvSource({"always", "Sometimes"})
  void anythingElseIsRefused(String apiValue) {
    assertThrows(IllegalArgumentException.class, () -> RestartPolicy.of(apiValue));
  }
}
