package io.staticlet.core.volume;

import io.staticlet.core.runtime.ContainerConfigRejectedException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a volume mount's {@code subPath} inside its volume on the host without ever following a
 * symlink out of it (DECISIONS.md 25, the kubelet's fix for CVE-2017-1002101). A container can
 * plant symlinks in a volume it writes; the path is therefore walked one component at a time with
 * {@link LinkOption#NOFOLLOW_LINKS}: a symlink is followed only while its target stays inside the
 * volume (as the kubelet's {@code EvalSymlinks} + {@code PathWithinBase}); anything else is refused
 * with {@link ContainerConfigRejectedException} ({@code CreateContainerConfigError}). A missing
 * component is created as a directory (the kubelet's {@code SafeMakeDir}), each one checked again.
 *
 * <p>The result is a path without symlinks. The engine binds it by name a moment later; a container
 * running at that moment (a sidecar) could still swap a checked directory for a link: the kubelet
 * closes that window by bind-mounting an open file descriptor, which the Docker API cannot take.
 */
public final class SubPathResolver {
  /** As Linux's {@code MAXSYMLINKS}. */
  private static final int MAX_LINKS = 40;

  private SubPathResolver() {}

  /**
   * @param volumeRoot the volume's directory on the host (a hostPath, an emptyDir)
   * @param subPath the mount's {@code subPath} (already expanded), relative
   * @param what names the mount in errors, e.g. {@code container app, volume "data"}
   * @return the resolved host path, inside the volume, free of symlinks
   */
  public static Path resolve(Path volumeRoot, String subPath, String what) {
    Path root;
    try {
      root = volumeRoot.toRealPath();
    } catch (IOException e) {
      throw refused(what, subPath, "cannot open the volume " + volumeRoot + ": " + e);
    }
    if (subPath.startsWith("/")) {
      throw refused(what, subPath, "must be a relative path");
    }
    Deque<String> todo = new ArrayDeque<>(components(subPath));
    List<String> done = new ArrayList<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (name.equals("..")) {
        if (done.isEmpty()) {
          throw refused(what, subPath, "leaves the volume");
        }
        done.remove(done.size() - 1);
        continue;
      }
      Path next = join(root, done).resolve(name);
      BasicFileAttributes attrs = attributes(next, what, subPath);
      if (attrs == null) {
        createDirectory(next, what, subPath);
        attrs = attributes(next, what, subPath);
        if (attrs == null || !attrs.isDirectory()) {
          throw refused(what, subPath, next + " changed while it was being created");
        }
      }
      if (attrs.isSymbolicLink()) {
        if (++links > MAX_LINKS) {
          throw refused(what, subPath, "too many levels of symbolic links");
        }
        Path target = readLink(next, what, subPath);
        if (target.isAbsolute()) {
          Path normal = target.normalize();
          if (!normal.startsWith(root)) {
            throw refused(
                what,
                subPath,
                "symlink "
                    + root.relativize(next)
                    + " -> "
                    + target
                    + " points outside the volume");
          }
          done.clear();
          pushFront(todo, components(root.relativize(normal).toString()));
        } else {
          pushFront(todo, components(target.toString()));
        }
        continue;
      }
      if (!attrs.isDirectory() && !todo.isEmpty()) {
        throw refused(what, subPath, root.relativize(next) + " is not a directory");
      }
      done.add(name);
    }
    return join(root, done);
  }

  private static List<String> components(String path) {
    List<String> out = new ArrayList<>();
    for (String c : path.split("/")) {
      if (!c.isEmpty() && !c.equals(".")) {
        out.add(c);
      }
    }
    return out;
  }

  private static void pushFront(Deque<String> todo, List<String> names) {
    for (int i = names.size() - 1; i >= 0; i--) {
      todo.push(names.get(i));
    }
  }

  private static Path join(Path root, List<String> names) {
    Path p = root;
    for (String n : names) {
      p = p.resolve(n);
    }
    return p;
  }

  private static BasicFileAttributes attributes(Path p, String what, String subPath) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw refused(what, subPath, "cannot inspect " + p + ": " + e);
    }
  }

  private static void createDirectory(Path p, String what, String subPath) {
    try {
      Files.createDirectory(p); // mkdir(2): never follows a link planted at p
    } catch (FileAlreadyExistsException raced) {
      // planted meanwhile: checked again by the caller
    } catch (IOException e) {
      throw refused(what, subPath, "cannot create " + p + ": " + e);
    }
  }

  private static Path readLink(Path p, String what, String subPath) {
    try {
      return Files.readSymbolicLink(p);
    } catch (IOException e) {
      throw refused(what, subPath, "cannot read the symlink " + p + ": " + e);
    }
  }

  private static ContainerConfigRejectedException refused(String what, String subPath, String why) {
    return new ContainerConfigRejectedException(what + ": subPath \"" + subPath + "\": " + why);
  }
}
