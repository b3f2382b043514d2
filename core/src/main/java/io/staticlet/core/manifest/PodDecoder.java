package io.staticlet.core.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.ByteArrayInputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.reader.ReaderException;

/**
 * Turns one manifest file into exactly one fabric8 {@link Pod}, streaming from the file (it is
 * never held as a whole: the largest thing in memory is the decoded pod).
 *
 * <p>Input whose first non-blank character is <code>{</code> is JSON, anything else YAML (as the
 * kubelet's {@code utilyaml.ToJSON}). For YAML, {@link LongValueScan} first refuses values
 * SnakeYAML cannot parse within a small heap. Then two passes: {@link ManifestScan} (syntax,
 * documents, kind, aliases and their expanded size, without building anything), then the decode of
 * the one document through {@link AliasExpandingParser} (YAML aliases expanded as YAML means them).
 * Rejected, each with a message meant for the operator: syntax errors (with line and column),
 * duplicate keys, nesting deeper than {@value #MAX_NESTING_DEPTH} levels, more than one non-empty
 * YAML document, a root that is not an object, a missing or other {@code kind}/{@code apiVersion}
 * than {@code v1 Pod}, aliases without an anchor, more than {@value ManifestScan#MAX_VALUES} values
 * after alias expansion, and values of the wrong type.
 *
 * <p><b>Unknown fields are warnings</b> (DECISIONS.md 5, as the kubelet's non-strict decode):
 * fabric8 model classes would silently collect them in their {@code additionalProperties}; this
 * decoder removes that any-setter, so every unknown field reaches a handler that records its path
 * ({@code spec.containers[0].imagee}) and drops its value. The pod is built without them, so they
 * change neither what runs nor the UID.
 */
final class PodDecoder {
  /** Nesting deeper than this is refused while parsing (Jackson's default, stated here). */
  static final int MAX_NESTING_DEPTH = 1000;

  /** The outcome of decoding one file. */
  sealed interface Result permits Decoded, Failed {}

  /** {@code unknownFields}: paths of the fields the Pod schema does not know, dropped. */
  record Decoded(Pod pod, List<String> unknownFields) implements Result {
    Decoded {
      unknownFields = List.copyOf(unknownFields);
    }
  }

  /** {@code messages} are already in their final form ({@code <path>: <reason>}). */
  record Failed(List<String> messages) implements Result {
    Failed {
      messages = List.copyOf(messages);
    }

    Failed(String message) {
      this(List.of(message));
    }
  }

  /** Where the manifest's bytes come from; opened once per pass. */
  interface Content {
    InputStream open() throws IOException;
  }

  private static final ObjectMapper YAML = strict(new ObjectMapper(yamlFactory()));
  // No FAIL_ON_TRAILING_TOKENS: fabric8's Quantity deserializer reads a sub-tree through the codec,
  // which that feature would reject. A second JSON value is counted as a second document instead.
  private static final ObjectMapper JSON =
      strict(
          new ObjectMapper(
              JsonFactory.builder()
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .streamReadConstraints(constraints())
                  .build()));

  private PodDecoder() {}

  static Result decode(byte[] content) {
    return decode(() -> new ByteArrayInputStream(content));
  }

  static Result decode(Content content) {
    boolean json;
    try (InputStream in = content.open()) {
      json = looksLikeJson(in);
    } catch (IOException e) {
      return new Failed("cannot read file: " + e.getMessage());
    }
    ObjectMapper mapper = json ? JSON : YAML;
    String format = json ? "JSON" : "YAML";
    if (!json) {
      try (InputStream in = content.open()) {
        String tooLong = LongValueScan.check(in);
        if (tooLong != null) {
          return new Failed(tooLong);
        }
      } catch (IOException e) {
        return new Failed(readError(format, e));
      }
    }

    ManifestScan.Result scan;
    try (InputStream in = content.open();
        JsonParser parser = mapper.createParser(in)) {
      scan = ManifestScan.scan(parser);
    } catch (ManifestScan.Problem e) {
      return new Failed(e.getMessage());
    } catch (JsonProcessingException e) {
      return new Failed(syntaxError(format, e));
    } catch (IOException e) {
      return new Failed(readError(format, e));
    }
    if (scan.documents() == 0) {
      return new Failed("file is empty; a manifest file must hold exactly one Pod");
    }
    if (scan.documents() > 1) {
      return new Failed(
          "contains "
              + scan.documents()
              + " "
              + format
              + " documents; a manifest file must hold exactly one Pod");
    }
    if (!scan.firstType().equals("object")) {
      return new Failed(
          "holds a " + scan.firstType() + "; a manifest file must hold exactly one Pod object");
    }
    String problem = checkKind(scan.kind(), scan.apiVersion());
    if (problem != null) {
      return new Failed(problem);
    }

    UnknownFieldCollector unknown = new UnknownFieldCollector();
    Pod pod;
    try (InputStream in = content.open();
        JsonParser parser = new AliasExpandingParser(mapper.createParser(in))) {
      pod = readPod(mapper.readerFor(Pod.class).withHandler(unknown), parser);
    } catch (ManifestScan.Problem e) {
      return new Failed(e.getMessage());
    } catch (JsonMappingException e) {
      return new Failed(mappingError(e));
    } catch (JsonProcessingException e) {
      return new Failed(syntaxError(format, e));
    } catch (IOException e) {
      return new Failed(readError(format, e));
    }
    return new Decoded(pod, unknown.paths);
  }

  private static String checkKind(String kind, String apiVersion) {
    if (kind == null || kind.isEmpty()) {
      return "kind is missing; a manifest file must hold one Pod (apiVersion: v1, kind: Pod)";
    }
    if (!kind.equals("Pod")) {
      return "kind " + kind + " is not supported: a manifest file must hold one Pod";
    }
    if (apiVersion == null || apiVersion.isEmpty()) {
      return "apiVersion is missing; a manifest file must hold one Pod (apiVersion: v1, kind: Pod)";
    }
    if (!apiVersion.equals("v1")) {
      return "apiVersion " + apiVersion + " is not supported for kind Pod: expected v1";
    }
    return null;
  }

  /** Reads the one object document (empty documents before it are skipped). */
  private static Pod readPod(ObjectReader reader, JsonParser parser) throws IOException {
    JsonToken token;
    while ((token = parser.nextToken()) != null) {
      if (token == JsonToken.START_OBJECT) {
        return reader.readValue(parser);
      }
      parser.skipChildren();
    }
    throw new IllegalStateException("no object document although one was counted");
  }

  /** Whether the first non-blank character is '{'; reads only the leading blanks. */
  private static boolean looksLikeJson(InputStream in) throws IOException {
    int b = in.read();
    if (b == 0xef) { // UTF-8 byte order mark
      in.read();
      in.read();
      b = in.read();
    }
    while (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
      b = in.read();
    }
    return b == '{';
  }

  private static String readError(String format, IOException e) {
    if (e instanceof ManifestFile.Unusable) {
      return e.getMessage();
    }
    String message =
        e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e.getMessage());
    if (e instanceof CharConversionException) {
      return "invalid " + format + ": not UTF-8 text (" + message + ")";
    }
    return "cannot read " + format + ": " + message;
  }

  private static String syntaxError(String format, JsonProcessingException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof CharConversionException invalid) {
        return "invalid " + format + ": not UTF-8 text (" + firstLine(invalid.getMessage()) + ")";
      }
      if (cause instanceof ReaderException special) {
        return String.format(
            Locale.ROOT,
            "invalid %s: character U+%04X at character %d is not allowed in YAML "
                + "(NUL and other control characters cannot appear in a manifest)",
            format,
            special.getCodePoint(),
            special.getPosition());
      }
    }
    if (e instanceof StreamConstraintsException
        && e.getOriginalMessage().contains("nesting depth")) {
      return "invalid "
          + format
          + at(e.getLocation())
          + ": nested deeper than "
          + MAX_NESTING_DEPTH
          + " levels";
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof MarkedYAMLException yaml) {
        Mark mark = yaml.getProblemMark() != null ? yaml.getProblemMark() : yaml.getContextMark();
        String problem = yaml.getProblem() != null ? yaml.getProblem() : yaml.getContext();
        if (mark != null) {
          return "invalid "
              + format
              + " at line "
              + (mark.getLine() + 1)
              + ", column "
              + (mark.getColumn() + 1)
              + ": "
              + problem;
        }
        return "invalid " + format + ": " + problem;
      }
    }
    return "invalid " + format + at(e.getLocation()) + ": " + firstLine(e.getOriginalMessage());
  }

  private static String mappingError(JsonMappingException e) {
    String path = path(e.getPath());
    String where = location(e.getLocation());
    String reason;
    if (e instanceof InvalidFormatException invalid) {
      reason =
          "Invalid value: "
              + quote(invalid.getValue())
              + ": expected "
              + expected(invalid.getTargetType());
    } else if (e instanceof MismatchedInputException mismatched
        && mismatched.getTargetType() != null) {
      reason = "Invalid value: expected " + expected(mismatched.getTargetType());
    } else {
      reason = "Invalid value: " + firstLine(e.getOriginalMessage());
    }
    return (path.isEmpty() ? "" : path + ": ") + reason + where;
  }

  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : references) {
      if (reference.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "another type";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "a boolean";
    }
    if (type == String.class) {
      return "a string";
    }
    if (Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "a map";
    }
    return "an object (" + type.getSimpleName() + ")";
  }

  /**
   * Values in messages are cut: a message must never carry a huge value into logs and {@code
   * /pods}.
   */
  private static String quote(Object value) {
    String text = String.valueOf(value);
    if (text.length() > 80) {
      text = text.substring(0, 80) + "... (" + text.length() + " characters)";
    }
    return value instanceof String ? "\"" + text + "\"" : text;
  }

  private static String at(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static String location(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static YAMLFactory yamlFactory() {
    LoaderOptions options = new LoaderOptions();
    // SnakeYAML's default of 3 MB code points would reject files the 10 MiB limit allows.
    options.setCodePointLimit(ManifestParser.MAX_FILE_BYTES + 1024);
    return new AnchorAwareYamlFactory(
        YAMLFactory.builder()
            .loaderOptions(options)
            // YAML semantics: "metadata:" with nothing after it is null, not "" (a quoted '' stays
            // a string)
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(constraints()));
  }

  private static StreamReadConstraints constraints() {
    return StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build();
  }

  private static ObjectMapper strict(ObjectMapper mapper) {
    SimpleModule noAnySetter = new SimpleModule("staticlet-strict-pod");
    noAnySetter.setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          public BeanDeserializerBuilder updateBuilder(
              DeserializationConfig config,
              BeanDescription description,
              BeanDeserializerBuilder builder) {
            builder.setAnySetter(
                null); // unknown fields go to the problem handler instead of additionalProperties
            return builder;
          }
        });
    return mapper.registerModule(noAnySetter).disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
  }

  /** Records the path of every unknown field and skips its value. One instance per decode. */
  private static final class UnknownFieldCollector extends DeserializationProblemHandler {
    final List<String> paths = new ArrayList<>();

    @Override
    public boolean handleUnknownProperty(
        DeserializationContext context,
        JsonParser parser,
        JsonDeserializer<?> deserializer,
        Object beanOrClass,
        String propertyName)
        throws IOException {
      JsonStreamContext owner = parser.getParsingContext();
      if (parser.currentToken() == JsonToken.START_OBJECT
          || parser.currentToken() == JsonToken.START_ARRAY) {
        owner = owner.getParent(); // the parser already entered the value
      }
      paths.add(pathOf(owner));
      parser.skipChildren();
      return true;
    }

    private static String pathOf(JsonStreamContext context) {
      List<String> parts = new ArrayList<>();
      for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
        if (c.inArray()) {
          parts.add("[" + c.getCurrentIndex() + "]");
        } else if (c.inObject() && c.getCurrentName() != null) {
          parts.add("." + c.getCurrentName());
        }
      }
      Collections.reverse(parts);
      String path = String.join("", parts);
      return path.startsWith(".") ? path.substring(1) : path;
    }
  }
}
