package io.staticlet.docker;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import io.staticlet.core.runtime.ContainerSpec;
import io.staticlet.core.runtime.ContainerSpec.Security;
import io.staticlet.core.runtime.ContainerSpecRejectedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Core's merged security context on Docker (dockershim {@code security_context.go}): the Docker
 * {@code User} (with the image's user when only a group is given), supplemental groups, privileged,
 * read-only root, capabilities, no-new-privileges, seccomp and the runAsNonRoot check against the
 * image's user (only the engine knows it).
 *
 * <p>Seccomp follows the kubelet with Docker: {@code Unconfined} (the default) is {@code
 * seccomp=unconfined}; {@code RuntimeDefault} is Docker's default profile; {@code Localhost} passes
 * the content of the profile file core resolved.
 */
final class SecurityContextMapper {
  private final Function<String, String> imageUser;

  /**
   * @param imageUser the image's configured {@code User} ("" if none), asked only when needed
   */
  SecurityContextMapper(Function<String, String> imageUser) {
    this.imageUser = imageUser;
  }

  /** The Docker {@code User}, or empty to keep the image's. */
  String user(ContainerSpec container) {
    Security sc = container.security();
    String user = sc.runAsUser() == null ? "" : Long.toString(sc.runAsUser());
    if (sc.runAsNonRoot()) {
      verifyNonRoot(container);
    }
    if (sc.runAsGroup() == null) {
      return user;
    }
    if (user.isEmpty()) {
      String fromImage = imageUser.apply(container.image());
      int colon = fromImage.indexOf(':');
      user = colon >= 0 ? fromImage.substring(0, colon) : fromImage;
      if (user.isEmpty()) {
        user = "0";
      }
    }
    return user + ":" + sc.runAsGroup();
  }

  void apply(ContainerSpec container, HostConfig hostConfig) {
    Security sc = container.security();
    if (!sc.supplementalGroups().isEmpty()) {
      hostConfig.withGroupAdd(sc.supplementalGroups().stream().map(g -> Long.toString(g)).toList());
    }
    List<String> securityOpts = new ArrayList<>();
    if (sc.privileged()) {
      hostConfig.withPrivileged(true);
    }
    if (sc.readOnlyRootFilesystem()) {
      hostConfig.withReadonlyRootfs(true);
    }
    if (!sc.privileged()) {
      if (!sc.capabilitiesAdd().isEmpty()) {
        hostConfig.withCapAdd(capabilities(container, sc.capabilitiesAdd()));
      }
      if (!sc.capabilitiesDrop().isEmpty()) {
        hostConfig.withCapDrop(capabilities(container, sc.capabilitiesDrop()));
      }
    }
    if (sc.noNewPrivileges()) {
      securityOpts.add("no-new-privileges");
    }
    if (!sc.privileged()) {
      seccomp(container, sc.seccomp()).ifPresent(securityOpts::add);
    }
    if (!securityOpts.isEmpty()) {
      hostConfig.withSecurityOpts(securityOpts);
    }
  }

  private static Optional<String> seccomp(ContainerSpec container, ContainerSpec.Seccomp profile) {
    switch (profile.type()) {
      case UNCONFINED:
        return Optional.of("seccomp=unconfined");
      case RUNTIME_DEFAULT:
        return Optional.empty();
      case LOCALHOST:
        Path file = Path.of(profile.localhostProfile());
        try {
          return Optional.of("seccomp=" + Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new ContainerSpecRejectedException(
              "container "
                  + container.name()
                  + ": cannot read seccomp profile "
                  + file
                  + ": "
                  + e.getMessage(),
              e);
        }
      default:
        throw new IllegalStateException("seccomp type " + profile.type());
    }
  }

  private void verifyNonRoot(ContainerSpec container) {
    Long uid = container.security().runAsUser();
    if (uid != null) {
      if (uid == 0) {
        throw nonRoot(container, "runAsUser is 0");
      }
      return;
    }
    String fromImage = imageUser.apply(container.image());
    String user =
        fromImage.contains(":") ? fromImage.substring(0, fromImage.indexOf(':')) : fromImage;
    if (user.isEmpty() || "0".equals(user) || "root".equals(user)) {
      throw nonRoot(container, "image will run as root");
    }
    if (!user.chars().allMatch(Character::isDigit)) {
      throw nonRoot(
          container, "image has non-numeric user (" + user + "), cannot verify user is non-root");
    }
  }

  private static ContainerSpecRejectedException nonRoot(ContainerSpec container, String why) {
    return new ContainerSpecRejectedException(
        "container " + container.name() + " has runAsNonRoot and " + why);
  }

  private static Capability[] capabilities(ContainerSpec container, List<String> names) {
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
            "container " + container.name() + ": unknown capability " + name, e);
      }
    }
    return caps.toArray(new Capability[0]);
  }
}
