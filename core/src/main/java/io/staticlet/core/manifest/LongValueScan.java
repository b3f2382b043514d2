package io.staticlet.core.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a YAML manifest holding a value of more than {@value #MAX_VALUE_BYTES} bytes, before
 * SnakeYAML sees it. SnakeYAML builds each scalar in a growing buffer (and keeps a word it is
 * scanning as an {@code int} per character, copied every 1024 characters): a 10 MB value costs tens
 * of MB of heap at once and, without whitespace, minutes of CPU; the shipped agent, with a 64 MiB
 * heap, died of exactly that. No value that long can be a running pod's: the API allows 256 KiB for
 * all annotations together, the kernel 128 KiB for one argument or environment string.
 *
 * <p>Streams the bytes once, looking only at the start of each line: a value is the text after a
 * line's key ({@code key:}, {@code "key":}) or list dash up to the next line that starts a key or a
 * list item, so a quoted or block scalar spread over many lines counts whole. (A block scalar whose
 * lines look like keys is seen in pieces; it then reaches the parser, whose other limits apply.)
 */
final class LongValueScan {
  /** The longest value a YAML manifest may hold. */
  static final int MAX_VALUE_BYTES = 1024 * 1024;

  private static final int PREFIX = 300;

  private LongValueScan() {}

  /** Null when the content is fine, otherwise the message for the operator. */
  static String check(InputStream in) throws IOException {
    Lines lines = new Lines();
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      for (int i = 0; i < n; i++) {
        String problem = buffer[i] == '\n' ? lines.endLine() : lines.add(buffer[i]);
        if (problem != null) {
          return problem;
        }
      }
    }
    return lines.endLine();
  }

  /** The state of the scan: the current line's start, and the value it belongs to. */
  private static final class Lines {
    private final byte[] prefix = new byte[PREFIX];
    private int prefixLength;
    private long lineLength;
    private int entryStart =
        UNKNOWN; // where this line's own value starts, -1 if it continues the previous value
    private long line = 1;
    private long value; // bytes of the previous lines' value
    private long valueLine = 1;
    private String valueKey;

    private static final int UNKNOWN = -2;

    String add(byte b) {
      if (prefixLength < PREFIX) {
        prefix[prefixLength++] = b;
      }
      lineLength++;
      if (lineLength <= PREFIX || lineLength % 4096 != 0) {
        return null; // judged at the end of the line, or every 4 KiB of a long one
      }
      return judge();
    }

    String endLine() {
      String problem = judge();
      if (problem != null) {
        return problem;
      }
      if (isComment()) {
        // a comment line (or, rarely, a block scalar's line starting with '#'): counts for nothing
      } else if (entry() >= 0) {
        value = lineLength - entry();
        valueLine = line;
        valueKey = key(prefix, prefixLength);
      } else {
        value += lineLength + 1;
      }
      line++;
      lineLength = 0;
      prefixLength = 0;
      entryStart = UNKNOWN;
      return null;
    }

    private boolean isComment() {
      int i = 0;
      while (i < prefixLength && prefix[i] == ' ') {
        i++;
      }
      return i < prefixLength && prefix[i] == '#';
    }

    private String judge() {
      if (isComment()) {
        return lineLength > MAX_VALUE_BYTES ? tooLong(line, null) : null;
      }
      if (entry() >= 0) {
        return lineLength - entry() > MAX_VALUE_BYTES
            ? tooLong(line, key(prefix, prefixLength))
            : null;
      }
      return value + lineLength > MAX_VALUE_BYTES ? tooLong(valueLine, valueKey) : null;
    }

    private int entry() {
      if (entryStart == UNKNOWN || lineLength <= PREFIX) {
        entryStart = entryValueStart(prefix, prefixLength);
      }
      return entryStart;
    }
  }

  private static String tooLong(long line, String key) {
    return "line "
        + line
        + (key == null ? "" : " (field " + key + ")")
        + ": holds a value of more than "
        + MAX_VALUE_BYTES / 1024
        + " KiB; refused before parsing (no value that long can be a pod's: the API allows "
        + PodValidator.TOTAL_ANNOTATION_SIZE_LIMIT_BYTES / 1024
        + " KiB for all annotations together)";
  }

  /**
   * Where the value starts when the line begins an entry ({@code key: v}, {@code "key": v}, {@code
   * - v}, {@code ---}), or -1 when it continues the previous value.
   */
  private static int entryValueStart(byte[] line, int length) {
    int i = 0;
    while (i < length && line[i] == ' ') {
      i++;
    }
    if (i + 3 <= length && (startsWith(line, i, "---") || startsWith(line, i, "..."))) {
      return i + 3;
    }
    boolean dash = false;
    while (i + 1 < length && line[i] == '-' && line[i + 1] == ' ') {
      dash = true;
      i += 2;
      while (i < length && line[i] == ' ') {
        i++;
      }
    }
    int colon = keyEnd(line, i, length);
    if (colon >= 0) {
      return colon + 1;
    }
    return dash ? i : -1;
  }

  /** The index of the ':' ending a key that starts at {@code i}, or -1. */
  private static int keyEnd(byte[] line, int i, int length) {
    if (i >= length
        || line[i] == '#'
        || line[i] == '{'
        || line[i] == '['
        || line[i] == '|'
        || line[i] == '>') {
      return -1;
    }
    int j = i;
    if (line[i] == '"' || line[i] == '\'') {
      byte quote = line[i];
      j = i + 1;
      while (j < length && line[j] != quote) {
        j++;
      }
      j++;
      return j < length && line[j] == ':' && (j + 1 == length || line[j + 1] == ' ') ? j : -1;
    }
    for (; j < length; j++) {
      if (line[j] == ':' && (j + 1 == length || line[j + 1] == ' ')) {
        return j;
      }
      if (line[j] == '#' && line[j - 1] == ' ') {
        return -1;
      }
    }
    return -1;
  }

  private static String key(byte[] line, int length) {
    String text = new String(line, 0, length, StandardCharsets.UTF_8).strip();
    while (text.startsWith("- ")) {
      text = text.substring(2).strip();
    }
    int colon = text.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    String key = text.substring(0, colon).strip();
    if (key.length() >= 2 && (key.startsWith("\"") || key.startsWith("'"))) {
      key = key.substring(1, key.length() - 1);
    }
    return key;
  }

  private static boolean startsWith(byte[] line, int at, String text) {
    for (int k = 0; k < text.length(); k++) {
      if (line[at + k] != text.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
