package io.staticlet.core.manifest;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the manifest files of {@code staticPodPath} (DECISIONS.md 4): a directory's regular files
 * (symlinks followed) accepted by {@link ManifestFileFilter}, sorted by name, sub-directories not
 * entered; or the path itself when it is a file. Not thread-safe: one caller at a time.
 */
final class ManifestDirectoryLister {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestDirectoryLister.class);

  /**
   * One listing. {@code complete} is false when the directory exists but could not be read: the
   * caller then keeps what it had.
   */
  record Listing(boolean complete, List<Path> files, List<ManifestError> errors) {
    Listing {
      files = List.copyOf(files);
      errors = List.copyOf(errors);
    }
  }

  private final Path staticPodPath;
  /** Entries warned about in the previous listing: warned once, then only at debug. */
  private Set<Path> warned = Set.of();

  ManifestDirectoryLister(Path staticPodPath) {
    this.staticPodPath = staticPodPath;
  }

  Listing list() {
    Set<Path> warnedNow = new HashSet<>();
    try {
      if (Files.isDirectory(staticPodPath)) {
        return listDirectory(warnedNow);
      }
      if (Files.isRegularFile(staticPodPath)) {
        return new Listing(true, List.of(staticPodPath), List.of());
      }
      if (!Files.exists(staticPodPath)) {
        String reason = Files.isSymbolicLink(staticPodPath) ? "path does not exist (dangling symbolic link)" : "path does not exist";
        return new Listing(true, List.of(), List.of(new ManifestError(staticPodPath, reason, null)));
      }
      return new Listing(true, List.of(),
          List.of(new ManifestError(staticPodPath, "path is not a directory or a regular file", null)));
    } finally {
      warned = warnedNow;
    }
  }

  private Listing listDirectory(Set<Path> warnedNow) {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(staticPodPath)) {
      stream.forEach(entries::add);
    } catch (IOException | RuntimeException e) {
      String reason = "cannot list directory: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      return new Listing(false, List.of(), List.of(new ManifestError(staticPodPath, reason, null)));
    }
    entries.sort(Comparator.comparing(entry -> entry.getFileName().toString()));

    List<Path> files = new ArrayList<>();
    for (Path entry : entries) {
      String name = entry.getFileName().toString();
      switch (ManifestFileFilter.classify(name)) {
        case HIDDEN -> LOG.trace("Ignoring hidden file {}", entry);
        case LEFTOVER -> LOG.debug("Ignoring editor or package-manager leftover {}", entry);
        case READ -> {
          if (Files.isRegularFile(entry)) {
            files.add(entry);
          } else if (Files.isDirectory(entry)) {
            LOG.debug("Not recursing into manifest path {}", entry);
          } else if (Files.isSymbolicLink(entry) && !Files.exists(entry)) {
            warnOnce(warnedNow, entry, "Ignoring dangling symbolic link {} in the manifest directory");
          } else {
            warnOnce(warnedNow, entry, "Ignoring {}: not a regular file or a directory");
          }
        }
      }
    }
    return new Listing(true, files, List.of());
  }

  private void warnOnce(Set<Path> warnedNow, Path entry, String message) {
    if (warned.contains(entry)) {
      LOG.debug(message, entry);
    } else {
      LOG.warn(message, entry);
    }
    warnedNow.add(entry);
  }
}
