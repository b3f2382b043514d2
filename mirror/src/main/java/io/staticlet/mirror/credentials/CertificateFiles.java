package io.staticlet.mirror.credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The kubelet's client certificate store ({@code client-go/util/certificate/certificate_store.go}):
 * every certificate is written once as {@code <dir>/kubelet-client-<yyyy-MM-dd-HH-mm-ss>.pem}
 * (chain then key, mode 0600) and {@code kubelet-client-current.pem} is a symlink to the newest.
 * The symlink is switched atomically (a new link renamed over the old), so a reader never sees a
 * missing or half-written current file.
 */
public final class CertificateFiles {
  static final String PREFIX = "kubelet-client";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);

  private final Path dir;

  public CertificateFiles(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** {@code <dir>/kubelet-client-current.pem}: the path a kubeconfig names. */
  public Path currentPath() {
    return dir.resolve(PREFIX + "-current.pem");
  }

  /**
   * The current certificate, if the symlink (or a file) is there; a broken file is an error naming
   * it.
   */
  public Optional<ClientCertificate> current() {
    Path current = currentPath();
    String pem;
    try {
      pem = Files.readString(current, StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new CredentialsException(current + ": cannot read: " + e.getMessage(), e);
    }
    try {
      return Optional.of(ClientCertificate.ofCombined(pem));
    } catch (IllegalArgumentException e) {
      throw new CredentialsException(current + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code certificate} as a new timestamped file and points the current symlink at it. */
  public Path store(ClientCertificate certificate, Instant now) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(PREFIX + "-" + STAMP.format(now) + ".pem");
      for (int n = 1; Files.exists(file, LinkOption.NOFOLLOW_LINKS); n++) {
        file =
            dir.resolve(
                PREFIX + "-" + STAMP.format(now) + "-" + n + ".pem"); // two within one second
      }
      Path temp =
          Files.createTempFile(
              dir,
              ".kubelet-client-",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temp, certificate.combinedPem(), StandardCharsets.US_ASCII);
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
      Path current = currentPath();
      if (Files.exists(current) && !Files.isSymbolicLink(current)) {
        throw new CredentialsException(current + ": expected a symlink but it is a file");
      }
      Path updated = dir.resolve(PREFIX + "-updated.pem");
      Files.deleteIfExists(updated);
      Files.createSymbolicLink(updated, file.getFileName());
      try {
        Files.move(
            updated, current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(updated, current, StandardCopyOption.REPLACE_EXISTING);
      }
      return file;
    } catch (IOException e) {
      throw new CredentialsException(
          "cannot store the client certificate in " + dir + ": " + e.getMessage(), e);
    }
  }
}
