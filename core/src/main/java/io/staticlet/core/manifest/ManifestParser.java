package io.staticlet.core.manifest;

import io.fabric8.kubernetes.api.model.Pod;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads one manifest file into a static pod, in the kubelet's order (KUBELET.md §2.1):
 *
 * <ol>
 *   <li>read at most {@value #MAX_FILE_BYTES} bytes; a file of 10 MiB or more is rejected;
 *   <li>decode exactly one {@code v1 Pod}, strictly ({@link PodDecoder}: unknown fields, several
 *       YAML documents, other kinds are errors);
 *   <li>reject an explicit {@code metadata.uid};
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
    byte[] content;
    try {
      content = read(source);
    } catch (IOException e) {
      return readFailure(source, e);
    }
    return parse(content, source, nodeName, seen);
  }

  /** Parses manifest bytes as if read from {@code file} (which is not read). */
  public static ParseResult parse(byte[] content, Path file, String nodeName, Instant seen) {
    Path source = file.toAbsolutePath().normalize();
    if (content.length >= MAX_FILE_BYTES) {
      return rejected(source, "file is " + mebibytes(content.length) + "; the limit is 10 MiB");
    }
    PodDecoder.Result decoded = PodDecoder.decode(content);
    if (decoded instanceof PodDecoder.Failed failed) {
      return rejected(source, String.join("; ", failed.messages()));
    }
    Pod pod = ((PodDecoder.Decoded) decoded).pod();

    List<String> errors = new ArrayList<>();
    if (pod.getMetadata() != null && pod.getMetadata().getUid() != null && !pod.getMetadata().getUid().isEmpty()) {
      errors.add("metadata.uid: Forbidden: a static pod manifest may not set a UID, staticlet derives it from the "
          + "manifest, the node and the file path (a fixed UID would keep the mirror pod from being refreshed after edits)");
      pod.getMetadata().setUid(null);
    }
    SchemeDefaults.apply(pod);
    String uid = PodUid.compute(pod, nodeName, source);
    KubeletDefaults.apply(pod, nodeName, uid, seen);
    errors.addAll(PodValidator.validate(pod));
    if (!errors.isEmpty()) {
      return rejected(source, String.join("; ", errors));
    }
    PodKey key = new PodKey(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    return new ParseResult.Parsed(new StaticPod(key, uid, source, seen, pod));
  }

  /** Reads a manifest, refusing files of {@value #MAX_FILE_BYTES} bytes or more. */
  static byte[] read(Path file) throws IOException {
    long size = Files.size(file);
    if (size >= MAX_FILE_BYTES) {
      throw new TooLarge(size);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] content = in.readNBytes(MAX_FILE_BYTES);
      if (content.length >= MAX_FILE_BYTES) {
        throw new TooLarge(Math.max(Files.size(file), content.length)); // grew while we read it
      }
      return content;
    }
  }

  /** The rejection for an exception thrown by {@link #read}. */
  static ParseResult readFailure(Path file, IOException e) {
    if (e instanceof TooLarge tooLarge) {
      return rejected(file, "file is " + mebibytes(tooLarge.size) + "; the limit is 10 MiB");
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

  private static final class TooLarge extends IOException {
    final long size;

    TooLarge(long size) {
      super("too large");
      this.size = size;
    }
  }
}
