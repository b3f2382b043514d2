package io.staticlet.core.manifest;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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
 *
 * <p><b>Only "does not exist" empties the set</b> (DECISIONS.md 23, as the kubelet's {@code
 * os.IsNotExist}): any other failure to look at or list the path (permission, I/O error, a stale
 * NFS handle, a symlink loop, a parent that is a file) gives an incomplete listing, so the caller
 * keeps every pod and reports the error until it clears. Inside a listed directory, an entry whose
 * type cannot be read (other than "does not exist") is listed anyway: reading it fails, which keeps
 * its last good pod. FIFOs, sockets and devices are never opened; each gets an error naming it.
 */
final class ManifestDirectoryLister {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestDirectoryLister.class);

  /**
   * One listing. {@code complete} is false when the path exists (or may exist) but could not be
   * read: the caller then keeps what it had. {@code missing}: the path does not exist.
   */
  record Listing(boolean complete, boolean missing, List<Path> files, List<ManifestError> errors) {
    Listing {
      files = List.copyOf(files);
      errors = List.copyOf(errors);
    }

    Listing(boolean complete, List<Path> files, List<ManifestError> errors) {
      this(complete, false, files, errors);
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
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(staticPodPath, BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        String reason =
            Files.isSymbolicLink(staticPodPath)
                ? "path does not exist (dangling symbolic link)"
                : "path does not exist";
        return new Listing(
            true, true, List.of(), List.of(new ManifestError(staticPodPath, reason, null)));
      } catch (IOException e) {
        return unreadable("cannot access path", e);
      }
      if (attributes.isDirectory()) {
        return listDirectory(warnedNow);
      }
      if (attributes.isRegularFile()) {
        return new Listing(true, List.of(staticPodPath), List.of());
      }
      return new Listing(
          false,
          List.of(),
          List.of(
              new ManifestError(
                  staticPodPath,
                  "path is not a directory or a regular file; keeping its pods",
                  null)));
    } finally {
      warned = warnedNow;
    }
  }

  private Listing listDirectory(Set<Path> warnedNow) {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(staticPodPath)) {
      stream.forEach(entries::add);
    } catch (IOException | RuntimeException e) {
      return unreadable("cannot list directory", e);
    }
    entries.sort(Comparator.comparing(entry -> entry.getFileName().toString()));

    List<Path> files = new ArrayList<>();
    List<ManifestError> errors = new ArrayList<>();
    for (Path entry : entries) {
      String name = entry.getFileName().toString();
      switch (ManifestFileFilter.classify(name)) {
        case HIDDEN -> LOG.trace("Ignoring hidden file {}", entry);
        case LEFTOVER -> LOG.debug("Ignoring editor or package-manager leftover {}", entry);
        case READ -> {
          BasicFileAttributes attributes;
          try {
            attributes = Files.readAttributes(entry, BasicFileAttributes.class); // follows symlinks
          } catch (NoSuchFileException e) {
            if (Files.isSymbolicLink(entry)) {
              warnOnce(
                  warnedNow, entry, "Ignoring dangling symbolic link {} in the manifest directory");
            }
            continue; // gone meanwhile
          } catch (IOException e) {
            files.add(entry); // reading it reports the error and keeps its last good pod
            continue;
          }
          if (attributes.isRegularFile()) {
            files.add(entry);
          } else if (attributes.isDirectory()) {
            LOG.debug("Not recursing into manifest path {}", entry);
          } else {
            errors.add(new ManifestError(entry, ManifestFile.notRegular(entry, attributes), null));
          }
        }
      }
    }
    return new Listing(true, files, errors);
  }

  private Listing unreadable(String what, Exception e) {
    return new Listing(
        false,
        List.of(),
        List.of(
            new ManifestError(
                staticPodPath,
                what + ": " + reason(e) + "; keeping its pods until it can be read again",
                null)));
  }

  private static String reason(Exception e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
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
