package io.staticlet.core.manifest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Reading one manifest file without ever holding it whole: its state (type, size, mtime, symlinks
 * followed), a bounded stream, and a streaming SHA-256. A file that is not a regular file (a FIFO,
 * a socket, a device) is never opened: opening a FIFO would block the re-list until someone writes
 * to it. The check and the open are two calls, so a regular file swapped for a FIFO between them
 * could still block; the listing has checked the type once already.
 */
final class ManifestFile {
  /**
   * What {@link #state} saw; two equal states around a read mean the file did not change meanwhile.
   */
  record State(long size, FileTime modified, Object fileKey) {}

  /** The file cannot be used as it is (not regular, too large); the message is for the operator. */
  static final class Unusable extends IOException {
    private static final long serialVersionUID = 1L;

    Unusable(String message) {
      super(message);
    }
  }

  private static final int BUFFER = 64 * 1024;

  private ManifestFile() {}

  /** The state of a regular file, or {@link Unusable} (not regular, at or above the size limit). */
  static State state(Path file) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    if (!attributes.isRegularFile()) {
      throw new Unusable(notRegular(file, attributes));
    }
    if (attributes.size() >= ManifestParser.MAX_FILE_BYTES) {
      throw tooLarge(attributes.size());
    }
    return new State(attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
  }

  /**
   * A stream over the file that fails with {@link Unusable} once it reaches the size limit (a
   * growing file).
   */
  static InputStream open(Path file) throws IOException {
    return open(file, null, Long.MAX_VALUE);
  }

  /**
   * As {@link #open(Path)}, but the stream ends after {@code size} bytes: the size the file had
   * when its state was read. A file that is still being written (a re-list can run in the middle of
   * a write) is then read as the prefix that was checked, never as a longer one that grew
   * meanwhile; the state compared after the read rejects it as changed.
   */
  static InputStream open(Path file, long size) throws IOException {
    return open(file, null, size);
  }

  /**
   * As {@link #open(Path, long)}, feeding every byte read to {@code digest} when it is not null.
   */
  private static InputStream open(Path file, MessageDigest digest, long size) throws IOException {
    InputStream in = Files.newInputStream(file);
    return new FilterInputStream(in) {
      private long read;

      @Override
      public int read() throws IOException {
        if (read >= size) {
          return -1;
        }
        int b = super.read();
        if (b >= 0) {
          count(1);
          if (digest != null) {
            digest.update((byte) b);
          }
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (read >= size) {
          return -1;
        }
        int n = super.read(buffer, offset, (int) Math.min(length, size - read));
        if (n > 0) {
          count(n);
          if (digest != null) {
            digest.update(buffer, offset, n);
          }
        }
        return n;
      }

      private void count(int n) throws IOException {
        read += n;
        if (read >= ManifestParser.MAX_FILE_BYTES) {
          throw tooLarge(read);
        }
      }
    };
  }

  /**
   * SHA-256 of the file's first {@code size} bytes (its size when its state was read), read in
   * small blocks.
   */
  static byte[] sha256(Path file, long size) throws IOException {
    MessageDigest digest = newDigest();
    try (InputStream in = open(file, digest, size)) {
      byte[] buffer = new byte[BUFFER];
      while (in.read(buffer) >= 0) {
        // digested while read
      }
    }
    return digest.digest();
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }

  /** "is a FIFO, not a regular file; skipped" and the like. */
  static String notRegular(Path file, BasicFileAttributes attributes) {
    return (attributes.isDirectory() ? "is a directory" : "is " + otherType(file))
        + ", not a regular file; skipped";
  }

  static Unusable tooLarge(long size) {
    return new Unusable("file is " + ManifestParser.mebibytes(size) + "; the limit is 10 MiB");
  }

  private static String otherType(Path file) {
    try {
      int mode = (Integer) Files.getAttribute(file, "unix:mode");
      return switch (mode & 0170000) {
        case 0010000 -> "a FIFO";
        case 0140000 -> "a socket";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        default -> "a special file";
      };
    } catch (IOException
        | UnsupportedOperationException
        | IllegalArgumentException
        | ClassCastException e) {
      return "a special file";
    }
  }
}
