package io.staticlet.core.volume;

import io.staticlet.core.runtime.ContainerSpecRejectedException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The kubelet's {@code hostPath} {@code type} checks ({@code volume/hostpath/host_path.go}): {@code
 * DirectoryOrCreate} makes the directory (mode 0755) and {@code FileOrCreate} an empty file (0644)
 * when missing; the other types must already exist with the right kind. The path is followed
 * through symbolic links, as {@code stat} does. An empty type checks nothing.
 */
public final class HostPathChecker {
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFCHR = 0020000;

  private HostPathChecker() {}

  public static void check(String volume, Path path, String type) {
    String t = type == null ? "" : type;
    try {
      switch (t) {
        case "":
          return;
        case "DirectoryOrCreate":
          if (!Files.exists(path)) {
            createDirectories(path);
          }
          require(Files.isDirectory(path), volume, path, "is not a directory");
          return;
        case "Directory":
          requireExists(volume, path);
          require(Files.isDirectory(path), volume, path, "is not a directory");
          return;
        case "FileOrCreate":
          if (!Files.exists(path)) {
            try {
              Files.createFile(
                  path,
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rw-r--r--")));
            } catch (FileAlreadyExistsException raced) {
              // created concurrently: the kind check below decides
            }
          }
          require(Files.isRegularFile(path), volume, path, "is not a file");
          return;
        case "File":
          requireExists(volume, path);
          require(Files.isRegularFile(path), volume, path, "is not a file");
          return;
        case "Socket":
          requireKind(volume, path, S_IFSOCK, "is not a socket file");
          return;
        case "CharDevice":
          requireKind(volume, path, S_IFCHR, "is not a character device");
          return;
        case "BlockDevice":
          requireKind(volume, path, S_IFBLK, "is not a block device");
          return;
        default:
          throw new ContainerSpecRejectedException(
              "hostPath volume \"" + volume + "\": unknown type \"" + t + "\"");
      }
    } catch (IOException e) {
      throw new ContainerSpecRejectedException(
          "hostPath type check failed for volume \""
              + volume
              + "\": "
              + path
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static void createDirectories(Path path) throws IOException {
    Files.createDirectories(path);
    // createDirectories applies the umask; the kubelet's MkdirAll(0755) does too, but be explicit.
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static void requireKind(String volume, Path path, int kind, String otherwise)
      throws IOException {
    requireExists(volume, path);
    int mode = (Integer) Files.getAttribute(path, "unix:mode");
    require((mode & S_IFMT) == kind, volume, path, otherwise);
  }

  private static void requireExists(String volume, Path path) {
    require(Files.exists(path), volume, path, "does not exist");
  }

  private static void require(boolean ok, String volume, Path path, String otherwise) {
    if (!ok) {
      throw new ContainerSpecRejectedException(
          "hostPath type check failed for volume \"" + volume + "\": " + path + " " + otherwise);
    }
  }
}
