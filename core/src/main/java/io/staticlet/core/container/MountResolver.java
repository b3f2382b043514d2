package io.staticlet.core.container;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerSpec.Mount;
import io.staticlet.core.runtime.ContainerSpec.TmpfsMount;
import io.staticlet.core.runtime.ContainerSpecRejectedException;
import io.staticlet.core.runtime.MountPropagation;
import io.staticlet.core.volume.HostPathChecker;
import io.staticlet.core.volume.PodDirectories;
import io.staticlet.core.volume.SubPathResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides what backs each of a container's {@code volumeMounts} on the host: {@code hostPath}
 * (after the kubelet's type check) and {@code emptyDir} (a directory under the pod's directory,
 * created on demand with mode 0777 like the kubelet's; {@code medium: Memory} becomes a tmpfs mount
 * of this container). Honours {@code readOnly}, {@code subPath}, {@code subPathExpr} (expanded
 * against the container's environment) and {@code mountPropagation}. Thread-safe; it touches the
 * host's file system (checks, creates directories).
 */
final class MountResolver {
  private final PodDirectories dirs;

  MountResolver(PodDirectories dirs) {
    this.dirs = dirs;
  }

  /** Host binds and tmpfs mounts of one container. */
  record Mounts(List<Mount> binds, List<TmpfsMount> tmpfs) {
    Mounts {
      binds = List.copyOf(binds);
      tmpfs = List.copyOf(tmpfs);
    }
  }

  /**
   * Checks and prepares the host side of every mount (creates directories as needed).
   *
   * @param env the container's resolved environment, for {@code subPathExpr}
   * @throws ContainerSpecRejectedException for a failed hostPath check, an unknown or unsupported
   *     volume, or a subPath that leaves its volume
   */
  Mounts map(StaticPod pod, Container container, Map<String, String> env) {
    List<Mount> binds = new ArrayList<>();
    List<TmpfsMount> tmpfs = new ArrayList<>();
    List<VolumeMount> mounts =
        container.getVolumeMounts() == null ? List.of() : container.getVolumeMounts();
    for (VolumeMount mount : mounts) {
      Volume volume = findVolume(pod, mount.getName(), container);
      String subPath = subPath(mount, env, container);
      if (volume.getEmptyDir() != null && "Memory".equals(volume.getEmptyDir().getMedium())) {
        if (!subPath.isEmpty()) {
          throw rejected(container, mount, "subPath is not supported on a medium: Memory emptyDir");
        }
        tmpfs.add(new TmpfsMount(mount.getMountPath(), Boolean.TRUE.equals(mount.getReadOnly())));
        continue;
      }
      Path source = hostSource(pod, volume, container, mount);
      if (!subPath.isEmpty()) {
        source = subPathSource(source, subPath, container, mount);
      }
      binds.add(
          new Mount(
              source.toString(),
              mount.getMountPath(),
              Boolean.TRUE.equals(mount.getReadOnly()),
              MountPropagation.of(mount.getMountPropagation())));
    }
    return new Mounts(binds, tmpfs);
  }

  private Path hostSource(StaticPod pod, Volume volume, Container container, VolumeMount mount) {
    HostPathVolumeSource hostPath = volume.getHostPath();
    if (hostPath != null) {
      if (hostPath.getPath() == null || !hostPath.getPath().startsWith("/")) {
        throw rejected(container, mount, "hostPath " + hostPath.getPath() + " is not absolute");
      }
      Path path = Path.of(hostPath.getPath());
      HostPathChecker.check(volume.getName(), path, hostPath.getType());
      return path;
    }
    EmptyDirVolumeSource emptyDir = volume.getEmptyDir();
    if (emptyDir != null) {
      Path dir = dirs.emptyDir(pod.uid(), volume.getName());
      try {
        if (!Files.isDirectory(dir)) {
          Files.createDirectories(dir);
          Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
      } catch (IOException e) {
        throw new ContainerSpecRejectedException(
            "emptyDir volume \""
                + volume.getName()
                + "\": cannot create "
                + dir
                + ": "
                + e.getMessage(),
            e);
      }
      return dir;
    }
    throw rejected(
        container, mount, "volume type is not supported by staticlet (only hostPath and emptyDir)");
  }

  /** The subPath inside its volume, never through a symlink out of it (DECISIONS.md 25). */
  private static Path subPathSource(
      Path source, String subPath, Container container, VolumeMount mount) {
    if (Path.of(subPath).isAbsolute()
        || Path.of(subPath).normalize().startsWith("..")
        || subPath.contains("..")) {
      throw rejected(
          container, mount, "subPath " + subPath + " must be a relative path inside the volume");
    }
    return SubPathResolver.resolve(
        source,
        subPath,
        "container "
            + container.getName()
            + ", volume \""
            + mount.getName()
            + "\" at "
            + mount.getMountPath());
  }

  private static String subPath(VolumeMount mount, Map<String, String> env, Container container) {
    boolean hasSubPath = mount.getSubPath() != null && !mount.getSubPath().isEmpty();
    boolean hasExpr = mount.getSubPathExpr() != null && !mount.getSubPathExpr().isEmpty();
    if (hasSubPath && hasExpr) {
      throw rejected(container, mount, "subPath and subPathExpr are mutually exclusive");
    }
    if (hasExpr) {
      return VarExpansion.expand(mount.getSubPathExpr(), env);
    }
    return hasSubPath ? mount.getSubPath() : "";
  }

  private static Volume findVolume(StaticPod pod, String name, Container container) {
    List<Volume> volumes = pod.pod().getSpec().getVolumes();
    if (volumes != null) {
      for (Volume v : volumes) {
        if (v.getName().equals(name)) {
          return v;
        }
      }
    }
    throw new ContainerSpecRejectedException(
        "container "
            + container.getName()
            + ": volumeMount refers to undeclared volume \""
            + name
            + "\"");
  }

  private static ContainerSpecRejectedException rejected(
      Container container, VolumeMount mount, String why) {
    return new ContainerSpecRejectedException(
        "container "
            + container.getName()
            + ", volume \""
            + mount.getName()
            + "\" at "
            + mount.getMountPath()
            + ": "
            + why);
  }
}
