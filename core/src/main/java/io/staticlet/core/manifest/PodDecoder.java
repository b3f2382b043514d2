package io.staticlet.core.manifest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Turns the bytes of one manifest file into exactly one fabric8 {@link Pod}, strictly.
 *
 * <p>Input whose first non-blank character is <code>{</code> is JSON, anything else YAML (as the
 * kubelet's {@code utilyaml.ToJSON}). Rejected, each with a message meant for the operator: syntax
 * errors (with line and column), duplicate keys, more than one non-empty YAML document, a root that
 * is not an object, a missing or other {@code kind}/{@code apiVersion} than {@code v1 Pod}, values
 * of the wrong type, and <b>unknown fields</b>. fabric8 model classes would silently collect unknown
 * fields in their {@code additionalProperties}; this decoder removes that any-setter, so every
 * unknown field reaches a problem handler that records its path ({@code
 * spec.containers[0].imagee}) and skips its value. All unknown fields of a file are reported
 * together.
 */
final class PodDecoder {
  /** The outcome of decoding one file. */
  sealed interface Result permits Decoded, Failed {}

  record Decoded(Pod pod) implements Result {}

  /** {@code messages} are already in their final form ({@code <path>: <reason>}). */
  record Failed(List<String> messages) implements Result {
    Failed {
      messages = List.copyOf(messages);
    }

    Failed(String message) {
      this(List.of(message));
    }
  }

  private static final ObjectMapper YAML = strict(new ObjectMapper(yamlFactory()));
  // No FAIL_ON_TRAILING_TOKENS: fabric8's Quantity deserializer reads a sub-tree through the codec,
  // which that feature would reject. A second JSON value is counted as a second document instead.
  private static final ObjectMapper JSON =
      strict(new ObjectMapper(JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()));

  private PodDecoder() {}

  static Result decode(byte[] content) {
    boolean json = looksLikeJson(content);
    ObjectMapper mapper = json ? JSON : YAML;
    String format = json ? "JSON" : "YAML";

    List<JsonNode> documents;
    try {
      documents = documents(mapper, content);
    } catch (JsonProcessingException e) {
      return new Failed(syntaxError(format, e));
    } catch (IOException e) {
      return new Failed("cannot read " + format + ": " + e.getMessage());
    }
    if (documents.isEmpty()) {
      return new Failed("file is empty; a manifest file must hold exactly one Pod");
    }
    if (documents.size() > 1) {
      return new Failed("contains " + documents.size() + " " + format + " documents; a manifest file must hold exactly one Pod");
    }
    JsonNode root = documents.get(0);
    if (!root.isObject()) {
      return new Failed("holds a " + describe(root) + "; a manifest file must hold exactly one Pod object");
    }
    String problem = checkKind(root);
    if (problem != null) {
      return new Failed(problem);
    }

    UnknownFieldCollector unknown = new UnknownFieldCollector();
    Pod pod;
    try {
      pod = readPod(mapper.readerFor(Pod.class).withHandler(unknown), content);
    } catch (JsonMappingException e) {
      return new Failed(mappingError(e));
    } catch (JsonProcessingException e) {
      return new Failed(syntaxError(format, e));
    } catch (IOException e) {
      return new Failed("cannot read " + format + ": " + e.getMessage());
    }
    if (!unknown.paths.isEmpty()) {
      return new Failed(unknown.paths.stream().map(path -> path + ": unknown field").toList());
    }
    return new Decoded(pod);
  }

  /** Every root-level value is a document (a MappingIterator would unwrap a root-level list). */
  private static List<JsonNode> documents(ObjectMapper mapper, byte[] content) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    try (JsonParser parser = mapper.createParser(content)) {
      while (parser.nextToken() != null) {
        JsonNode node = mapper.readTree(parser);
        if (!isEmptyDocument(node)) {
          documents.add(node);
        }
      }
    }
    return documents;
  }

  /** A bare {@code ---} or a comment-only document reads as null. */
  private static boolean isEmptyDocument(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  private static String checkKind(JsonNode root) {
    JsonNode kind = root.get("kind");
    if (kind == null || kind.isNull() || !kind.isTextual() || kind.asText().isEmpty()) {
      return "kind is missing; a manifest file must hold one Pod (apiVersion: v1, kind: Pod)";
    }
    if (!kind.asText().equals("Pod")) {
      return "kind " + kind.asText() + " is not supported: a manifest file must hold one Pod";
    }
    JsonNode apiVersion = root.get("apiVersion");
    if (apiVersion == null || apiVersion.isNull() || !apiVersion.isTextual() || apiVersion.asText().isEmpty()) {
      return "apiVersion is missing; a manifest file must hold one Pod (apiVersion: v1, kind: Pod)";
    }
    if (!apiVersion.asText().equals("v1")) {
      return "apiVersion " + apiVersion.asText() + " is not supported for kind Pod: expected v1";
    }
    return null;
  }

  /** Reads the one object document (empty documents before it are skipped). */
  private static Pod readPod(ObjectReader reader, byte[] content) throws IOException {
    try (JsonParser parser = reader.createParser(content)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        if (token == JsonToken.START_OBJECT) {
          return reader.readValue(parser);
        }
        parser.skipChildren();
      }
    }
    throw new IllegalStateException("no object document although one was counted");
  }

  private static boolean looksLikeJson(byte[] content) {
    int i = 0;
    if (content.length >= 3 && (content[0] & 0xff) == 0xef && (content[1] & 0xff) == 0xbb && (content[2] & 0xff) == 0xbf) {
      i = 3; // UTF-8 byte order mark
    }
    for (; i < content.length; i++) {
      byte b = content[i];
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return b == '{';
      }
    }
    return false;
  }

  private static String describe(JsonNode node) {
    if (node.isArray()) {
      return "list";
    }
    if (node.isTextual()) {
      return "string";
    }
    if (node.isNumber()) {
      return "number";
    }
    if (node.isBoolean()) {
      return "boolean";
    }
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String syntaxError(String format, JsonProcessingException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof MarkedYAMLException yaml) {
        Mark mark = yaml.getProblemMark() != null ? yaml.getProblemMark() : yaml.getContextMark();
        String problem = yaml.getProblem() != null ? yaml.getProblem() : yaml.getContext();
        if (mark != null) {
          return "invalid " + format + " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": " + problem;
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
      reason = "Invalid value: " + quote(invalid.getValue()) + ": expected " + expected(invalid.getTargetType());
    } else if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
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

  private static String quote(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
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
    return YAMLFactory.builder()
        .loaderOptions(options)
        // YAML semantics: "metadata:" with nothing after it is null, not "" (a quoted '' stays a string)
        .enable(com.fasterxml.jackson.dataformat.yaml.YAMLParser.Feature.EMPTY_STRING_AS_NULL)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
  }

  private static ObjectMapper strict(ObjectMapper mapper) {
    SimpleModule noAnySetter = new SimpleModule("staticlet-strict-pod");
    noAnySetter.setDeserializerModifier(new BeanDeserializerModifier() {
      @Override
      public BeanDeserializerBuilder updateBuilder(
          DeserializationConfig config, BeanDescription description, BeanDeserializerBuilder builder) {
        builder.setAnySetter(null); // unknown fields go to the problem handler instead of additionalProperties
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
        DeserializationContext context, JsonParser parser, JsonDeserializer<?> deserializer,
        Object beanOrClass, String propertyName) throws IOException {
      JsonStreamContext owner = parser.getParsingContext();
      if (parser.currentToken() == JsonToken.START_OBJECT || parser.currentToken() == JsonToken.START_ARRAY) {
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
