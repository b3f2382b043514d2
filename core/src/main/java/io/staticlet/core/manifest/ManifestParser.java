package io.staticlet.core.manifest;

import io.fabric8.kubernetes.api.model.Pod;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads one manifest file into a static pod, in the kubelet's order (docs/kubelet.md §2.1):
 *
 * <ol>
 *   <li>a regular file of less than {@value #MAX_FILE_BYTES} bytes (10 MiB), streamed, never held
 *       whole;
 *   <li>decode exactly one {@code v1 Pod} ({@link PodDecoder}: several YAML documents, other kinds,
 *       syntax errors are errors; YAML aliases are expanded; unknown fields are dropped and
 *       reported as {@link ParseResult.Parsed#unknownFields() warnings});
 *   <li>reject an explicit {@code metadata.uid}, and annotations over the API's 256 KiB total
 *       before anything copies them;
 *   <li>{@link SchemeDefaults}, then the {@link PodUid UID} over the scheme-defaulted pod;
 *   <li>{@link KubeletDefaults} (name suffix, nodeName, toleration, annotations, Pending);
 *   <li>{@link PodValidator}, including the API-object reference check.
 * </ol>
 *
 * <p>All problems found in steps 3–6 are reported together, joined with {@code "; "}. The parser is
 * stateless and thread-safe.
 */
public final class ManifestParser {
  /** The kubelet's {@code maxConfigLength}: 10 MiB; files at or above it are rejected. */
  public static final int MAX_FILE_BYTES = 10 * 1024 * 1024;

  private ManifestParser() {}

  /**
   * Parses {@code file} as a static pod of node {@code nodeName}, first seen at {@code seen}.
   *
   * @param file the manifest; its absolute, normalized path is part of the UID and becomes {@link
   *     StaticPod#source()}
   */
  public static ParseResult parse(Path file, String nodeName, Instant seen) {
    Path source = file.toAbsolutePath().normalize();
    try {
      ManifestFile.state(source);
    } catch (IOException e) {
      return readFailure(source, e);
    }
    return parse(() -> ManifestFile.open(source), source, nodeName, seen);
  }

  /** Parses manifest bytes as if read from {@code file} (which is not read). */
  public static ParseResult parse(byte[] content, Path file, String nodeName, Instant seen) {
    Path source = file.toAbsolutePath().normalize();
    if (content.length >= MAX_FILE_BYTES) {
      return rejected(source, ManifestFile.tooLarge(content.length).getMessage());
    }
    return parse(() -> new ByteArrayInputStream(content), source, nodeName, seen);
  }

  /**
   * Parses the content {@code content} opens (once per decoding pass) as if read from {@code
   * source}.
   */
  static ParseResult parse(PodDecoder.Content content, Path source, String nodeName, Instant seen) {
    PodDecoder.Result decoded = PodDecoder.decode(content);
    if (decoded instanceof PodDecoder.Failed failed) {
      return rejected(source, String.join("; ", failed.messages()));
    }
    PodDecoder.Decoded decodedPod = (PodDecoder.Decoded) decoded;
    Pod pod = decodedPod.pod();

    List<String> errors = new ArrayList<>();
    if (pod.getMetadata() != null
        && pod.getMetadata().getUid() != null
        && !pod.getMetadata().getUid().isEmpty()) {
      errors.add(
          "metadata.uid: Forbidden: a static pod manifest may not set a UID, staticlet derives it from the "
              + "manifest, the node and the file path (a fixed UID would keep the mirror pod from being refreshed after edits)");
      pod.getMetadata().setUid(null);
    }
    String annotations = PodValidator.annotationsSize(pod.getMetadata());
    if (annotations != null) {
      errors.add(annotations);
      return rejected(
          source, String.join("; ", errors)); // before the UID would serialize them once more
    }
    SchemeDefaults.apply(pod);
    String uid = PodUid.compute(pod, nodeName, source);
    KubeletDefaults.apply(pod, nodeName, uid, seen);
    errors.addAll(PodValidator.validate(pod));
    if (!errors.isEmpty()) {
      return rejected(source, String.join("; ", errors));
    }
    PodKey key = new PodKey(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    return new ParseResult.Parsed(
        new StaticPod(key, uid, source, seen, pod), decodedPod.unknownFields());
  }

  /** The rejection for an exception thrown while looking at or reading the file. */
  static ParseResult readFailure(Path file, IOException e) {
    if (e instanceof ManifestFile.Unusable unusable) {
      return rejected(file, unusable.getMessage());
    }
    if (e instanceof NoSuchFileException) {
      return rejected(file, "cannot read file: it disappeared while being listed");
    }
    return rejected(file, "cannot read file: " + describe(e));
  }

  static String mebibytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }

  private static String describe(IOException e) {
    String type = e.getClass().getSimpleName();
    return e.getMessage() == null ? type : type + ": " + e.getMessage();
  }

  private static ParseResult rejected(Path file, String message) {
    return new ParseResult.Rejected(new ManifestError(file, message, null));
  }
}
