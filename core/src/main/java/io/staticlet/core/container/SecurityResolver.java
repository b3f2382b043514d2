package io.staticlet.core.container;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.staticlet.core.runtime.ContainerSpec.Seccomp;
import io.staticlet.core.runtime.ContainerSpec.Security;
import io.staticlet.core.runtime.ContainerSpecRejectedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Pod and container {@code securityContext} merged the kubelet's way: user, group and runAsNonRoot
 * (the container's wins over the pod's), supplemental groups plus fsGroup, privileged, read-only
 * root, capabilities, no-new-privileges and the seccomp profile ({@code Localhost} profiles live in
 * {@code <rootDir>/seccomp}). What needs the image (its user, for runAsNonRoot) is the runtime's.
 * Stateless, thread-safe.
 */
final class SecurityResolver {
  private final Path seccompDir;

  SecurityResolver(Path seccompDir) {
    this.seccompDir = seccompDir;
  }

  /**
   * @throws ContainerSpecRejectedException for an invalid or unknown seccomp profile
   */
  Security resolve(PodSpec pod, Container container) {
    SecurityContext sc = container.getSecurityContext();
    PodSecurityContext psc = pod.getSecurityContext();
    Long uid =
        firstNonNull(
            sc == null ? null : sc.getRunAsUser(), psc == null ? null : psc.getRunAsUser());
    Long gid =
        firstNonNull(
            sc == null ? null : sc.getRunAsGroup(), psc == null ? null : psc.getRunAsGroup());
    Boolean nonRoot =
        firstNonNull(
            sc == null ? null : sc.getRunAsNonRoot(), psc == null ? null : psc.getRunAsNonRoot());
    Set<Long> groups = new LinkedHashSet<>();
    if (psc != null && psc.getSupplementalGroups() != null) {
      groups.addAll(psc.getSupplementalGroups());
    }
    if (psc != null && psc.getFsGroup() != null) {
      groups.add(psc.getFsGroup());
    }
    boolean privileged = sc != null && Boolean.TRUE.equals(sc.getPrivileged());
    Capabilities caps = sc == null ? null : sc.getCapabilities();
    Seccomp seccomp =
        privileged
            ? new Seccomp(Seccomp.Type.UNCONFINED, "")
            : seccomp(
                container,
                firstNonNull(
                    sc == null ? null : sc.getSeccompProfile(),
                    psc == null ? null : psc.getSeccompProfile()));
    return new Security(
        uid,
        gid,
        Boolean.TRUE.equals(nonRoot),
        new ArrayList<>(groups),
        privileged,
        sc != null && Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem()),
        caps == null || caps.getAdd() == null ? List.of() : caps.getAdd(),
        caps == null || caps.getDrop() == null ? List.of() : caps.getDrop(),
        sc != null && Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation()),
        seccomp);
  }

  private Seccomp seccomp(Container container, SeccompProfile profile) {
    String type = profile == null || profile.getType() == null ? "" : profile.getType();
    switch (type) {
      case "":
      case "Unconfined":
        return new Seccomp(Seccomp.Type.UNCONFINED, "");
      case "RuntimeDefault":
        return new Seccomp(Seccomp.Type.RUNTIME_DEFAULT, "");
      case "Localhost":
        String name = profile.getLocalhostProfile() == null ? "" : profile.getLocalhostProfile();
        Path file = seccompDir.resolve(name).normalize();
        if (name.isEmpty() || !file.startsWith(seccompDir)) {
          throw new ContainerSpecRejectedException(
              "container "
                  + container.getName()
                  + ": invalid Localhost seccomp profile \""
                  + name
                  + "\"");
        }
        return new Seccomp(Seccomp.Type.LOCALHOST, file.toString());
      default:
        throw new ContainerSpecRejectedException(
            "container " + container.getName() + ": unknown seccomp profile type " + type);
    }
  }

  private static <T> T firstNonNull(T a, T b) {
    return a != null ? a : b;
  }
}
