package io.staticlet.core.container;

import java.util.Map;

/**
 * Kubernetes {@code $(VAR)} expansion ({@code third_party/forked/golang/expansion/expand.go}):
 * {@code $(NAME)} becomes the variable's value, or stays verbatim when {@code NAME} is undefined;
 * {@code $$} is an escaped {@code $}; any other {@code $} and an unterminated {@code $(} are kept
 * as written.
 */
public final class VarExpansion {
  private static final char OPERATOR = '$';
  private static final char OPENER = '(';
  private static final char CLOSER = ')';

  private VarExpansion() {}

  public static String expand(String input, Map<String, String> vars) {
    if (input == null || input.indexOf(OPERATOR) < 0) {
      return input;
    }
    StringBuilder out = new StringBuilder(input.length());
    int checkpoint = 0;
    for (int cursor = 0; cursor < input.length(); cursor++) {
      if (input.charAt(cursor) != OPERATOR || cursor + 1 >= input.length()) {
        continue;
      }
      out.append(input, checkpoint, cursor);
      char next = input.charAt(cursor + 1);
      int advance;
      if (next == OPERATOR) {
        out.append(OPERATOR); // "$$" -> "$"
        advance = 1;
      } else if (next == OPENER) {
        int close = input.indexOf(CLOSER, cursor + 2);
        if (close < 0) {
          out.append(OPERATOR).append(OPENER); // incomplete reference: keep it
          advance = 1;
        } else {
          String name = input.substring(cursor + 2, close);
          String value = vars.get(name);
          out.append(value != null ? value : "$(" + name + ")");
          advance = close - cursor;
        }
      } else {
        out.append(OPERATOR).append(next); // a lone operator and the character after it
        advance = 1;
      }
      cursor += advance;
      checkpoint = cursor + 1;
    }
    return out.append(input, checkpoint, input.length()).toString();
  }
}
