package io.staticlet.core.manifest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Re-parses a manifest only when its content changed, keeping per file only the SHA-256 of its
 * content and the parse result (never the file's bytes). Every listing streams each file once to
 * hash it (cheap); decoding runs only on a new hash. A cached result keeps the {@code seen} time of
 * its first parse, which is when that content was first seen.
 *
 * <p><b>A file that changes while it is read is not used.</b> The decode streams the file again
 * (twice); when the file's size, mtime or inode changed since before the hash, the result is
 * "changed while being read" (a rejection: a new file starts nothing, a running pod keeps its last
 * good version), nothing is cached, and the writer's own file-system events bring the next re-list.
 *
 * <p>One caller at a time; {@link #parseAll} parses the files of one listing in parallel (the
 * start-up listing of 100 manifests is ~0.35 s of decoding on one core), each file on one thread,
 * which is why the entries are a concurrent map.
 */
final class ParseCache {
  static final String CHANGED_WHILE_READ =
      "file changed while it was being read (still being written?); "
          + "it is read again at the next re-list";

  private record Entry(byte[] digest, ParseResult result) {}

  private final String nodeName;
  private final Map<Path, Entry> entries = new ConcurrentHashMap<>();

  ParseCache(String nodeName) {
    this.nodeName = nodeName;
  }

  /**
   * The parse result of each of {@code files} (a listing: no file twice; asked only for those),
   * parsed on the calling thread and the common pool's, as {@link #parse} would give them one by
   * one.
   */
  Function<Path, ParseResult> parseAll(List<Path> files, Instant seen) {
    List<ParseResult> results = files.parallelStream().map(f -> parse(f, seen)).toList();
    Map<Path, ParseResult> byFile = new HashMap<>();
    for (int i = 0; i < files.size(); i++) {
      byFile.put(files.get(i), results.get(i));
    }
    return byFile::get;
  }

  ParseResult parse(Path file, Instant seen) {
    Path source = file.toAbsolutePath().normalize();
    ManifestFile.State before;
    byte[] digest;
    try {
      before = ManifestFile.state(source); // never opens a FIFO or a directory
      digest = ManifestFile.sha256(source, before.size());
    } catch (IOException e) {
      entries.remove(source);
      return ManifestParser.readFailure(source, e);
    }
    Entry cached = entries.get(source);
    if (cached != null && Arrays.equals(cached.digest(), digest)) {
      return cached.result();
    }
    ParseResult result =
        ManifestParser.parse(
            () -> ManifestFile.open(source, before.size()), source, nodeName, seen);
    if (!unchanged(source, before)) {
      entries.remove(source);
      return new ParseResult.Rejected(new ManifestError(source, CHANGED_WHILE_READ, null));
    }
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

  /**
   * Whether the file still has the size, mtime (nanoseconds on Linux) and inode it had before the
   * reads.
   */
  private static boolean unchanged(Path source, ManifestFile.State before) {
    try {
      if (!ManifestFile.state(source).equals(before)) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
    return true;
  }
}
