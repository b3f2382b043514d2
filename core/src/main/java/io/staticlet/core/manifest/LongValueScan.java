package io.staticlet.core.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Refuses a YAML manifest holding a run of more than {@value #MAX_RUN_BYTES} bytes without
 * whitespace, before SnakeYAML sees it. SnakeYAML keeps the token it is scanning as an {@code int}
 * per character and copies that window every 1024 characters: a 10 MB word costs 40 MB of heap
 * twice over and minutes of CPU (the shipped agent, with a 64 MiB heap, died of exactly that). Values
 * that long have no place in a pod anyway: the API allows 256 KiB for all annotations together.
 * Streams the bytes once; keeps only the start of the current line, to name the field.
 */
final class LongValueScan {
  /** The longest run of non-whitespace bytes a YAML manifest may hold. */
  static final int MAX_RUN_BYTES = 1024 * 1024;
  private static final int LINE_START = 200;

  private LongValueScan() {}

  /** Null when the content is fine, otherwise the message for the operator. */
  static String check(InputStream in) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    byte[] lineStart = new byte[LINE_START];
    int lineStartLength = 0;
    long line = 1;
    long run = 0;
    int n;
    while ((n = in.read(buffer)) >= 0) {
      for (int i = 0; i < n; i++) {
        byte b = buffer[i];
        if (b == '\n') {
          line++;
          lineStartLength = 0;
          run = 0;
          continue;
        }
        if (lineStartLength < LINE_START) {
          lineStart[lineStartLength++] = b;
        }
        if (b == ' ' || b == '\t' || b == '\r') {
          run = 0;
        } else if (++run > MAX_RUN_BYTES) {
          return "line " + line + field(Arrays.copyOf(lineStart, lineStartLength)) + ": holds a value of more than "
              + MAX_RUN_BYTES / 1024 + " KiB without whitespace; refused before parsing (values that long cannot be "
              + "a pod's: the API allows " + PodValidator.TOTAL_ANNOTATION_SIZE_LIMIT_BYTES / 1024
              + " KiB for all annotations together)";
        }
      }
    }
    return null;
  }

  /** {@code " (field huge)"} when the line starts like {@code "  huge: ..."} or {@code "- huge: ..."}. */
  private static String field(byte[] start) {
    String text = new String(start, StandardCharsets.UTF_8).stripLeading();
    if (text.startsWith("- ")) {
      text = text.substring(2).stripLeading();
    }
    int colon = text.indexOf(": ");
    if (colon <= 0 || colon > 100) {
      return "";
    }
    String key = text.substring(0, colon).strip();
    if (key.startsWith("\"") || key.startsWith("'")) {
      key = key.substring(1, Math.max(1, key.length() - 1));
    }
    return " (field " + key + ")";
  }
}
