package io.staticlet.core.manifest;

import java.util.List;

/**
 * Which names in the manifest directory are manifests (DECISIONS.md 4). Every name is, except
 * hidden files (leading {@code .}) and editor or package-manager leftovers: {@code *~}, {@code
 * *.swp}, {@code *.swx}, {@code *.bak}, {@code *.orig}, {@code *.tmp}, {@code *.dpkg-*}, {@code
 * *.rpm*} ({@code .rpmnew}, {@code .rpmsave}, ...) and vim's write probe {@code 4913}. There is no
 * extension allow-list: {@code web}, {@code web.yml} and {@code web.json} are all read, as by the
 * kubelet. Matching is case-sensitive, like the globs.
 */
public final class ManifestFileFilter {
  /** What to do with a directory entry, judged by its name only. */
  public enum Verdict {
    /** A manifest: read it. */
    READ,
    /** Starts with a dot: ignored silently, as by the kubelet. */
    HIDDEN,
    /** Editor or package-manager leftover: ignored, with a debug log line. */
    LEFTOVER
  }

  private static final List<String> LEFTOVER_SUFFIXES =
      List.of("~", ".swp", ".swx", ".bak", ".orig", ".tmp");
  private static final List<String> LEFTOVER_INFIXES = List.of(".dpkg-", ".rpm");
  private static final String VIM_WRITE_PROBE = "4913";

  private ManifestFileFilter() {}

  public static Verdict classify(String fileName) {
    if (fileName.startsWith(".")) {
      return Verdict.HIDDEN;
    }
    if (fileName.equals(VIM_WRITE_PROBE)) {
      return Verdict.LEFTOVER;
    }
    for (String suffix : LEFTOVER_SUFFIXES) {
      if (fileName.endsWith(suffix)) {
        return Verdict.LEFTOVER;
      }
    }
    for (String infix : LEFTOVER_INFIXES) {
      if (fileName.contains(infix)) {
        return Verdict.LEFTOVER;
      }
    }
    return Verdict.READ;
  }

  /** True when a file of this name is read as a manifest. */
  public static boolean accepts(String fileName) {
    return classify(fileName) == Verdict.READ;
  }
}
