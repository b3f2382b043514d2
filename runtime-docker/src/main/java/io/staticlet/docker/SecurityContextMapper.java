package io.staticlet.docker;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.staticlet.core.runtime.ContainerSpecRejectedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Container and pod {@code securityContext} on Docker (dockershim {@code security_context.go}):
 * user and group (container wins over pod), supplemental groups and fsGroup, privileged,
 * read-only root, capabilities, no-new-privileges, seccomp and the runAsNonRoot check.
 *
 * <p>Seccomp follows the kubelet with Docker: without a profile the container runs
 * {@code unconfined}; {@code RuntimeDefault} is Docker's default profile; {@code Localhost} reads
 * {@code <rootDir>/seccomp/<localhostProfile>}.
 */
final class SecurityContextMapper {
  private final Path seccompDir;
  private final Function<String, String> imageUser;

  /**
   * @param seccompDir where {@code Localhost} seccomp profiles live
   * @param imageUser the image's configured {@code User} ("" if none), asked only when needed
   */
  SecurityContextMapper(Path seccompDir, Function<String, String> imageUser) {
    this.seccompDir = seccompDir;
    this.imageUser = imageUser;
  }

  /** The Docker {@code User}, or empty to keep the image's. */
  String user(PodSpec pod, Container container) {
    SecurityContext sc = container.getSecurityContext();
    PodSecurityContext psc = pod.getSecurityContext();
    Long uid = firstNonNull(sc == null ? null : sc.getRunAsUser(), psc == null ? null : psc.getRunAsUser());
    Long gid = firstNonNull(sc == null ? null : sc.getRunAsGroup(), psc == null ? null : psc.getRunAsGroup());
    Boolean nonRoot = firstNonNull(sc == null ? null : sc.getRunAsNonRoot(), psc == null ? null : psc.getRunAsNonRoot());
    String user = uid == null ? "" : Long.toString(uid);
    if (Boolean.TRUE.equals(nonRoot)) {
      verifyNonRoot(container, uid);
    }
    if (gid == null) {
      return user;
    }
    if (user.isEmpty()) {
      String fromImage = imageUser.apply(container.getImage());
      int colon = fromImage.indexOf(':');
      user = colon >= 0 ? fromImage.substring(0, colon) : fromImage;
      if (user.isEmpty()) {
        user = "0";
      }
    }
    return user + ":" + gid;
  }

  void apply(PodSpec pod, Container container, HostConfig hostConfig) {
    SecurityContext sc = container.getSecurityContext();
    PodSecurityContext psc = pod.getSecurityContext();
    Set<String> groups = new LinkedHashSet<>();
    if (psc != null && psc.getSupplementalGroups() != null) {
      psc.getSupplementalGroups().forEach(g -> groups.add(Long.toString(g)));
    }
    if (psc != null && psc.getFsGroup() != null) {
      groups.add(Long.toString(psc.getFsGroup()));
    }
    if (!groups.isEmpty()) {
      hostConfig.withGroupAdd(List.copyOf(groups));
    }
    List<String> securityOpts = new ArrayList<>();
    boolean privileged = sc != null && Boolean.TRUE.equals(sc.getPrivileged());
    if (sc != null) {
      if (privileged) {
        hostConfig.withPrivileged(true);
      }
      if (Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
        hostConfig.withReadonlyRootfs(true);
      }
      Capabilities caps = sc.getCapabilities();
      if (caps != null && !privileged) {
        if (caps.getAdd() != null && !caps.getAdd().isEmpty()) {
          hostConfig.withCapAdd(capabilities(container, caps.getAdd()));
        }
        if (caps.getDrop() != null && !caps.getDrop().isEmpty()) {
          hostConfig.withCapDrop(capabilities(container, caps.getDrop()));
        }
      }
      if (Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        securityOpts.add("no-new-privileges");
      }
    }
    if (!privileged) {
      seccomp(container, firstNonNull(sc == null ? null : sc.getSeccompProfile(), psc == null ? null : psc.getSeccompProfile()))
          .ifPresent(securityOpts::add);
    }
    if (!securityOpts.isEmpty()) {
      hostConfig.withSecurityOpts(securityOpts);
    }
  }

  private java.util.Optional<String> seccomp(Container container, SeccompProfile profile) {
    String type = profile == null || profile.getType() == null ? "" : profile.getType();
    switch (type) {
      case "":
      case "Unconfined":
        return java.util.Optional.of("seccomp=unconfined");
      case "RuntimeDefault":
        return java.util.Optional.empty();
      case "Localhost":
        String name = profile.getLocalhostProfile() == null ? "" : profile.getLocalhostProfile();
        Path file = seccompDir.resolve(name).normalize();
        if (name.isEmpty() || !file.startsWith(seccompDir)) {
          throw new ContainerSpecRejectedException(
              "container " + container.getName() + ": invalid Localhost seccomp profile \"" + name + "\"");
        }
        try {
          return java.util.Optional.of("seccomp=" + Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new ContainerSpecRejectedException(
              "container " + container.getName() + ": cannot read seccomp profile " + file + ": " + e.getMessage(), e);
        }
      default:
        throw new ContainerSpecRejectedException(
            "container " + container.getName() + ": unknown seccomp profile type " + type);
    }
  }

  private void verifyNonRoot(Container container, Long uid) {
    if (uid != null) {
      if (uid == 0) {
        throw nonRoot(container, "runAsUser is 0");
      }
      return;
    }
    String fromImage = imageUser.apply(container.getImage());
    String user = fromImage.contains(":") ? fromImage.substring(0, fromImage.indexOf(':')) : fromImage;
    if (user.isEmpty() || "0".equals(user) || "root".equals(user)) {
      throw nonRoot(container, "image will run as root");
    }
    if (!user.chars().allMatch(Character::isDigit)) {
      throw nonRoot(container, "image has non-numeric user (" + user + "), cannot verify user is non-root");
    }
  }

  private static ContainerSpecRejectedException nonRoot(Container container, String why) {
    return new ContainerSpecRejectedException(
        "container " + container.getName() + " has runAsNonRoot and " + why);
  }

  private static Capability[] capabilities(Container container, List<String> names) {
    List<Capability> caps = new ArrayList<>();
    for (String name : names) {
      String n = name.toUpperCase(Locale.ROOT);
      if (n.startsWith("CAP_")) {
        n = n.substring(4);
      }
      try {
        caps.add(Capability.valueOf(n));
      } catch (IllegalArgumentException e) {
        throw new ContainerSpecRejectedException(
            "container " + container.getName() + ": unknown capability " + name, e);
      }
    }
    return caps.toArray(new Capability[0]);
  }

  private static <T> T firstNonNull(T a, T b) {
    return a != null ? a : b;
  }
}
