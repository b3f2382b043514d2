package io.staticlet.core.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

/**
 * The static pod UID (DECISIONS.md 2): stable across agent restarts and upgrades, unique per node
 * and per file.
 *
 * <pre>
 * uid = lowercase hex( first 16 bytes of SHA-256( C || "host:" + nodeName || "file:" + path ) )
 * </pre>
 *
 * <p>everything UTF-8, concatenated without separators (the order the kubelet ≥ 1.21 feeds its
 * hasher), giving 32 hex characters. {@code nodeName} is the node name as configured, {@code path}
 * the absolute, normalized path of the manifest file as listed (a symlink's own path, not its
 * target). {@code C}, the canonical JSON, is built from the pod <b>after</b> {@link SchemeDefaults}
 * (metadata as written, but {@code namespace} defaulted; no kubelet identity defaults yet: no name
 * suffix, nodeName, toleration or annotations):
 *
 * <ol>
 *   <li>the pod is serialized with the fabric8 model's Jackson annotations (API field names);
 *   <li>{@code status} is removed;
 *   <li>recursively, {@code null} values, empty arrays and empty objects are removed, children
 *       first (so {@code securityContext: {}} and {@code emptyDir: {}} equal an absent field).
 *       Empty strings, {@code 0} and {@code false} are kept. Array order is kept, and an array
 *       element that prunes to nothing keeps its position as {@code {}}, {@code []} or {@code
 *       null};
 *   <li>object keys are sorted by Java {@link String#compareTo} (byte order for ASCII keys);
 *   <li>it is written compactly (no whitespace), strings as Jackson writes them (UTF-8, only {@code
 *       "}, {@code \} and control characters escaped), integers in plain decimal, quantities as
 *       their string form.
 * </ol>
 *
 * <p>A test pins one fixture manifest to its UID. Any change here, in {@link SchemeDefaults}, or in
 * how the model serializes restarts every static pod on upgrade.
 */
public final class PodUid {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PodUid() {}

  /** Computes the UID of a scheme-defaulted pod defined by {@code file} on {@code nodeName}. */
  public static String compute(Pod schemeDefaulted, String nodeName, Path file) {
    MessageDigest sha256 = sha256();
    sha256.update(canonicalJson(schemeDefaulted));
    sha256.update(("host:" + nodeName).getBytes(StandardCharsets.UTF_8));
    sha256.update(("file:" + file.toAbsolutePath().normalize()).getBytes(StandardCharsets.UTF_8));
    byte[] digest = sha256.digest();
    return HexFormat.of().formatHex(digest, 0, 16);
  }

  /** The canonical JSON form {@code C} described above. */
  public static byte[] canonicalJson(Pod pod) {
    JsonNode tree = JSON.valueToTree(pod);
    if (tree instanceof ObjectNode object) {
      object.remove("status");
    }
    JsonNode canonical = canonical(tree);
    try {
      return JSON.writeValueAsBytes(
          canonical == null ? JsonNodeFactory.instance.objectNode() : canonical);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write canonical JSON", e);
    }
  }

  /** Returns the pruned, key-sorted copy of {@code node}, or null when nothing is left of it. */
  private static JsonNode canonical(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
      names.sort(String::compareTo);
      ObjectNode sorted = JsonNodeFactory.instance.objectNode();
      for (String name : names) {
        JsonNode child = canonical(node.get(name));
        if (child != null) {
          sorted.set(name, child);
        }
      }
      return sorted.isEmpty() ? null : sorted;
    }
    if (node.isArray()) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (JsonNode element : node) {
        JsonNode child = canonical(element);
        array.add(child != null ? child : emptyLike(element)); // elements keep their position
      }
      return array.isEmpty() ? null : array;
    }
    return node;
  }

  private static JsonNode emptyLike(JsonNode element) {
    if (element == null || element.isNull()) {
      return JsonNodeFactory.instance.nullNode();
    }
    return element.isArray()
        ? JsonNodeFactory.instance.arrayNode()
        : JsonNodeFactory.instance.objectNode();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }

  /** For tests and tools: the canonical JSON as a string. */
  static String canonicalJsonString(Pod pod) {
    return new String(canonicalJson(pod), StandardCharsets.UTF_8);
  }
}
