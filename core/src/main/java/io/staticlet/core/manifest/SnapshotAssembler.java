package io.staticlet.core.manifest;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns one listing plus the parse result of each listed file into a complete snapshot, remembering
 * what it needs across listings. Not thread-safe: one caller at a time.
 *
 * <ul>
 *   <li><b>Last good version</b> (DECISIONS.md 8): per file, the last pod it defined successfully.
 *       A file that is now invalid contributes that pod, and its error carries the pod's key. A
 *       file that is gone contributes nothing and is forgotten.
 *   <li><b>Duplicates</b> (DECISIONS.md 7): files are taken in listing (sorted) order; a pod whose
 *       namespace/name was already contributed by an earlier file is dropped and that file gets
 *       "duplicate pod ns/name: already defined by &lt;earlier file&gt;".
 *   <li><b>First seen</b>: a parsed pod whose UID was in the previous snapshot is replaced by the
 *       previous snapshot's object, so {@code config.seen} keeps its first value and consumers see
 *       an identical pod.
 *   <li><b>Unknown fields</b> (DECISIONS.md 5): a parsed pod that runs carries a {@link
 *       ManifestWarning} naming its file and the dropped fields.
 *   <li>An incomplete listing (directory unreadable, DECISIONS.md 23) keeps the previous pods and
 *       reports the error.
 * </ul>
 *
 * {@link #assemble} commits what it learnt (last good versions, the snapshot); {@link #preview}
 * computes the same snapshot and forgets it, for the early re-list of a burst, whose listing may be
 * an intermediate state (a file renamed away for a moment must keep its last good version).
 * "Previous" is what was last delivered ({@link #delivered}), early or confirmed.
 */
final class SnapshotAssembler {
  private Map<Path, StaticPod> lastGood = Map.of();
  private ManifestSnapshot previous = ManifestSnapshot.empty();

  private record Result(ManifestSnapshot snapshot, Map<Path, StaticPod> lastGood) {}

  /**
   * The snapshot of {@code listing}; it becomes the previous one and its good pods the last good
   * versions.
   */
  ManifestSnapshot assemble(
      ManifestDirectoryLister.Listing listing, Function<Path, ParseResult> parser) {
    Result result = compute(listing, parser);
    lastGood = result.lastGood();
    previous = result.snapshot();
    return previous;
  }

  /** The snapshot {@link #assemble} would give, without remembering anything of it. */
  ManifestSnapshot preview(
      ManifestDirectoryLister.Listing listing, Function<Path, ParseResult> parser) {
    return compute(listing, parser).snapshot();
  }

  /**
   * Records what the source delivered early, so later listings keep its pods' first-seen objects.
   */
  void delivered(ManifestSnapshot snapshot) {
    previous = snapshot;
  }

  private Result compute(
      ManifestDirectoryLister.Listing listing, Function<Path, ParseResult> parser) {
    if (!listing.complete()) {
      return new Result(
          new ManifestSnapshot(previous.pods(), listing.errors(), previous.warnings()), lastGood);
    }
    Map<String, StaticPod> previousByUid = new HashMap<>();
    for (StaticPod pod : previous.pods().values()) {
      previousByUid.put(pod.uid(), pod);
    }
    List<ManifestError> errors = new ArrayList<>(listing.errors());
    Map<PodKey, StaticPod> pods = new LinkedHashMap<>();
    Map<Path, StaticPod> good = new HashMap<>();
    List<ManifestWarning> warnings = new ArrayList<>();

    for (Path file : listing.files()) {
      ParseResult result = parser.apply(file);
      StaticPod pod;
      ManifestError rejection = null;
      List<String> unknownFields = List.of();
      if (result instanceof ParseResult.Parsed parsed) {
        pod = previousByUid.getOrDefault(parsed.pod().uid(), parsed.pod());
        unknownFields = parsed.unknownFields();
      } else {
        rejection = ((ParseResult.Rejected) result).error();
        pod = lastGood.get(file);
      }
      if (pod != null) {
        good.put(file, pod);
      }

      StaticPod winner = pod == null ? null : pods.get(pod.key());
      if (winner != null) {
        errors.add(
            new ManifestError(
                file,
                "duplicate pod " + pod.key() + ": already defined by " + winner.source(),
                null,
                winner.key()));
        pod = null;
      }
      if (pod != null) {
        pods.put(pod.key(), pod);
        if (!unknownFields.isEmpty()) {
          warnings.add(new ManifestWarning(file, pod.key(), unknownFields));
        }
      }
      if (rejection != null) {
        errors.add(new ManifestError(file, rejection.message(), pod == null ? null : pod.key()));
      }
    }
    return new Result(new ManifestSnapshot(pods, errors, warnings), good);
  }
}
