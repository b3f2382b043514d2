package io.staticlet.core.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The first, streaming pass over a manifest: what its documents are, before anything is built from
 * them. Holds no value longer than one token, so a hostile file costs CPU, never heap:
 *
 * <ul>
 *   <li>counts the non-empty documents and notes the type of the first one;
 *   <li>notes the first document's top-level {@code kind} and {@code apiVersion} (null when absent
 *       or not a string);
 *   <li>checks every alias against the anchors defined before it (YAML: an alias refers to the
 *       latest anchor of that name, which must be complete) and counts the values the document has
 *       <b>after alias expansion</b>: more than {@value #MAX_VALUES} is refused, which stops a
 *       "billion laughs" document before anything is expanded.
 * </ul>
 *
 * Syntax errors, duplicate keys and nesting deeper than the parser's limit surface as the parser's
 * exceptions.
 */
final class ManifestScan {
  /**
   * Values (scalars and collections, aliases expanded) one manifest may hold: far above any real
   * pod.
   */
  static final int MAX_VALUES = 200_000;

  /**
   * What the scan found. {@code firstType} is "object", "list", "string", ... of the first
   * document.
   */
  record Result(int documents, String firstType, String kind, String apiVersion) {}

  /** A problem found by the scan, already worded for the operator. */
  static final class Problem extends IOException {
    private static final long serialVersionUID = 1L;

    Problem(String message) {
      super(message);
    }
  }

  private record OpenAnchor(String name, int depth, long valuesBefore) {}

  private ManifestScan() {}

  static Result scan(JsonParser parser) throws IOException {
    YAMLParser yaml = parser instanceof YAMLParser y ? y : null;
    Map<String, Long> anchorSizes = new HashMap<>();
    Deque<OpenAnchor> open = new ArrayDeque<>();
    long values = 0;
    int depth = 0;
    int documents = 0;
    String firstType = null;
    String kind = null;
    String apiVersion = null;
    String topLevelField = null; // the field of the first document whose value comes next

    JsonToken token;
    while ((token = parser.nextToken()) != null) {
      if (token == JsonToken.FIELD_NAME) {
        topLevelField = documents == 1 && depth == 1 ? parser.currentName() : null;
        continue;
      }
      if (depth == 0) {
        if (token == JsonToken.VALUE_NULL) {
          continue; // an empty document ("---" alone, or comments only)
        }
        documents++;
        if (documents == 1) {
          firstType = typeOf(token);
        }
      }
      if (topLevelField != null && depth == 1) {
        String text =
            token == JsonToken.VALUE_STRING && !(yaml != null && yaml.isCurrentAlias())
                ? parser.getText()
                : null;
        if (topLevelField.equals("kind")) {
          kind = text;
        } else if (topLevelField.equals("apiVersion")) {
          apiVersion = text;
        }
        topLevelField = null;
      }

      if (yaml != null && yaml.isCurrentAlias()) {
        String name = yaml.getText();
        Long size = anchorSizes.get(name);
        if (size == null) {
          boolean recursive = open.stream().anyMatch(a -> a.name().equals(name));
          throw new Problem(
              (recursive
                      ? "alias *" + name + " refers to the anchor it is part of"
                      : "alias *" + name + " refers to no anchor defined before it")
                  + at(parser.currentLocation()));
        }
        values += size;
      } else if (token.isStructEnd()) {
        depth--;
        OpenAnchor anchor = open.peek();
        if (anchor != null && anchor.depth() == depth) {
          open.pop();
          anchorSizes.put(anchor.name(), values - anchor.valuesBefore());
        }
        continue;
      } else {
        String anchor = yaml == null ? null : AnchorAwareYamlFactory.anchor(yaml);
        values++;
        if (token.isStructStart()) {
          if (anchor != null) {
            open.push(new OpenAnchor(anchor, depth, values - 1));
          }
          depth++;
        } else if (anchor != null) {
          anchorSizes.put(anchor, 1L);
        }
      }
      if (values > MAX_VALUES) {
        throw new Problem(
            "holds more than "
                + MAX_VALUES
                + " values (YAML aliases expanded)"
                + at(parser.currentLocation())
                + "; refusing to expand it further");
      }
    }
    return new Result(documents, firstType, kind, apiVersion);
  }

  private static String typeOf(JsonToken token) {
    return switch (token) {
      case START_OBJECT -> "object";
      case START_ARRAY -> "list";
      case VALUE_STRING -> "string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
      case VALUE_TRUE, VALUE_FALSE -> "boolean";
      default -> token.name().toLowerCase(Locale.ROOT);
    };
  }

  private static String at(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
