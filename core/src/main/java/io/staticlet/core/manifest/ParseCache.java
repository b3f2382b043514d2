package io.staticlet.core.manifest;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;

/**
 * Re-parses a manifest only when its bytes changed. Files are still read on every listing (cheap),
 * but decoding is not: SnakeYAML is quadratic on very long lines, and a pathological file near the
 * 10 MiB limit could otherwise cost a minute of CPU on every periodic re-list. A cached result keeps
 * the {@code seen} time of its first parse, which is when that content was first seen. Not
 * thread-safe: one caller at a time.
 */
final class ParseCache {
  private record Entry(byte[] digest, ParseResult result) {}

  private final String nodeName;
  private final Map<Path, Entry> entries = new HashMap<>();

  ParseCache(String nodeName) {
    this.nodeName = nodeName;
  }

  ParseResult parse(Path file, Instant seen) {
    Path source = file.toAbsolutePath().normalize();
    byte[] content;
    try {
      content = ManifestParser.read(source);
    } catch (IOException e) {
      entries.remove(source);
      return ManifestParser.readFailure(source, e);
    }
    byte[] digest = sha256(content);
    Entry cached = entries.get(source);
    if (cached != null && Arrays.equals(cached.digest(), digest)) {
      return cached.result();
    }
    ParseResult result = ManifestParser.parse(content, source, nodeName, seen);
    entries.put(source, new Entry(digest, result));
    return result;
  }

  /** Forgets files that are no longer listed. */
  void retainOnly(Collection<Path> files) {
    HashSet<Path> keep = new HashSet<>();
    for (Path file : files) {
      keep.add(file.toAbsolutePath().normalize());
    }
    entries.keySet().retainAll(keep);
  }

  private static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }
}
