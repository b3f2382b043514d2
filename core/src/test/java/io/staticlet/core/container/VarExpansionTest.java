package io.staticlet.core.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cases from the kubelet's {@code expansion/expand_test.go}. */
class VarExpansionTest {
  private static final Map<String, String> VARS =
      Map.of(
          "VAR_A", "A",
          "VAR_B", "B",
          "VAR_C", "C",
          "VAR_REF", "$(VAR_A)",
          "VAR_EMPTY", "");

  @ParameterizedTest(name = "[{index}] \"{0}\" -> \"{1}\"")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "$(VAR_A)|A",
        "___$(VAR_B)___|___B___",
        "___$(VAR_C)|___C",
        "$(VAR_A)-$(VAR_A)|A-A",
        "f000-$$VAR_A|f000-$VAR_A",
        "foo\\$(VAR_C)bar|foo\\Cbar",
        "foo\\\\$(VAR_C)bar|foo\\\\Cbar",
        "$(VAR_A)$(VAR_B)$(VAR_C)|ABC",
        "foo$(VAR_EMPTY)bar|foobar",
        "$(VAR_REF)|$(VAR_A)",
        "$(VAR_DNE)|$(VAR_DNE)",
        "$(VAR_A)$(VAR_DNE)|A$(VAR_DNE)",
        "$$(VAR_B)_$(VAR_A)|$(VAR_B)_A",
        "$$$$$$(BIG_MONEY)|$$$(BIG_MONEY)",
        "$$$$$$$(VAR_A)|$$$A",
        "$$$(VAR_A)|$A",
        "$VAR_A|$VAR_A",
        "$(VAR_A|$(VAR_A",
        "$(|$(",
        "$$$(|$$(",
        "$()|$()",
        "f00__(VAR_A)__|f00__(VAR_A)__",
        "$|$",
        "foo$|foo$",
        "$$|$",
        "$$$|$$",
        "$(VAR_A)$|A$",
        "'  $(VAR_A)  '|'  A  '",
      })
  void expandsLikeTheKubelet(String input, String expected) {
    assertEquals(expected, VarExpansion.expand(input, VARS));
  }

  @org.junit.jupiter.api.Test
  void leavesEmptyAndNullAlone() {
    assertEquals("", VarExpansion.expand("", VARS));
    assertEquals(null, VarExpansion.expand(null, VARS));
  }
}
