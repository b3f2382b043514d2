package io.staticlet.core.runtime;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One init or app container as the engine must create it, with every Kubernetes rule already
 * applied by core ({@code io.staticlet.core.container.ContainerLaunches}): {@code $(VAR)} expanded
 * in command and args, the environment resolved (downward API included), each mount backed by a
 * checked host path, pod and container security contexts merged. The runtime maps these values to
 * its engine; it decides nothing about Kubernetes semantics. Immutable.
 *
 * @param command the resolved {@code command}: replaces the image's entrypoint (and its cmd); empty
 *     keeps the image's
 * @param args the resolved {@code args}: replaces the image's cmd; empty keeps it (unless a command
 *     is given)
 * @param env the environment in definition order, names unique
 * @param mounts host paths bound into the container, the termination-message file included
 * @param tmpfs memory-backed mounts ({@code emptyDir} with {@code medium: Memory})
 * @param workingDir empty for the image's
 * @param terminationMessagePath where the container may write its message; empty for none
 * @param stopSignal the signal that stops the container; empty for the image's
 * @param preStop the preStop handler, recorded on the container so a restarted agent can run it
 * @param hash the kubelet's container hash of the spec (restart when it changes)
 */
public record ContainerSpec(
    String name,
    String image,
    PullPolicy pullPolicy,
    List<String> command,
    List<String> args,
    List<EnvEntry> env,
    List<Mount> mounts,
    List<TmpfsMount> tmpfs,
    List<Port> ports,
    String workingDir,
    Terminal terminal,
    Resources resources,
    Security security,
    String terminationMessagePath,
    TerminationMessagePolicy terminationMessagePolicy,
    String stopSignal,
    Optional<LifecycleHandler> preStop,
    String hash) {
  public ContainerSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(pullPolicy, "pullPolicy");
    command = List.copyOf(command);
    args = List.copyOf(args);
    env = List.copyOf(env);
    mounts = List.copyOf(mounts);
    tmpfs = List.copyOf(tmpfs);
    ports = List.copyOf(ports);
    workingDir = workingDir == null ? "" : workingDir;
    Objects.requireNonNull(terminal, "terminal");
    Objects.requireNonNull(resources, "resources");
    Objects.requireNonNull(security, "security");
    terminationMessagePath = terminationMessagePath == null ? "" : terminationMessagePath;
    Objects.requireNonNull(terminationMessagePolicy, "terminationMessagePolicy");
    stopSignal = stopSignal == null ? "" : stopSignal;
    Objects.requireNonNull(preStop, "preStop");
    Objects.requireNonNull(hash, "hash");
  }

  /** One environment variable with its final value. */
  public record EnvEntry(String name, String value) {
    public EnvEntry {
      Objects.requireNonNull(name, "name");
      value = value == null ? "" : value;
    }
  }

  /** A host path bound at {@code containerPath}. */
  public record Mount(
      String hostPath, String containerPath, boolean readOnly, MountPropagation propagation) {
    public Mount {
      Objects.requireNonNull(hostPath, "hostPath");
      Objects.requireNonNull(containerPath, "containerPath");
      Objects.requireNonNull(propagation, "propagation");
    }
  }

  /** A memory-backed file system at {@code containerPath}. */
  public record TmpfsMount(String containerPath, boolean readOnly) {
    public TmpfsMount {
      Objects.requireNonNull(containerPath, "containerPath");
    }
  }

  /**
   * A declared container port (recorded on the container; host ports are bound by the sandbox).
   *
   * @param protocol {@code TCP}, {@code UDP} or {@code SCTP}
   * @param hostPort 0 for none
   * @param hostIp empty for all addresses
   */
  public record Port(String name, int containerPort, String protocol, int hostPort, String hostIp) {
    public Port {
      name = name == null ? "" : name;
      protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol;
      hostIp = hostIp == null ? "" : hostIp;
    }
  }

  /** {@code tty}, {@code stdin} and {@code stdinOnce}. */
  public record Terminal(boolean tty, boolean stdin, boolean stdinOnce) {}

  /**
   * The container's cgroup settings as the kubelet computes them for a Linux runtime.
   *
   * @param memoryLimitBytes {@code limits.memory}; 0 for none
   * @param cpuShares CPU weight from {@code requests.cpu} (or the limit), at least 2
   * @param cpuQuotaMicros CFS quota per period from {@code limits.cpu}; 0 for none
   * @param cpuPeriodMicros CFS period; 0 when there is no quota
   */
  public record Resources(
      long memoryLimitBytes, int cpuShares, long cpuQuotaMicros, long cpuPeriodMicros) {}

  /**
   * The security context after the kubelet's merge (a container's field wins over the pod's).
   *
   * @param runAsUser null to keep the image's user
   * @param runAsGroup null to keep the image's group
   * @param runAsNonRoot the runtime must refuse to run the container as root (it knows the image's
   *     user)
   * @param supplementalGroups the pod's supplemental groups and its fsGroup
   * @param capabilitiesAdd capability names as written ({@code NET_ADMIN}, {@code CAP_SYS_TIME})
   * @param noNewPrivileges {@code allowPrivilegeEscalation: false}
   */
  public record Security(
      Long runAsUser,
      Long runAsGroup,
      boolean runAsNonRoot,
      List<Long> supplementalGroups,
      boolean privileged,
      boolean readOnlyRootFilesystem,
      List<String> capabilitiesAdd,
      List<String> capabilitiesDrop,
      boolean noNewPrivileges,
      Seccomp seccomp) {
    public Security {
      supplementalGroups = List.copyOf(supplementalGroups);
      capabilitiesAdd = List.copyOf(capabilitiesAdd);
      capabilitiesDrop = List.copyOf(capabilitiesDrop);
      Objects.requireNonNull(seccomp, "seccomp");
    }
  }

  /**
   * The seccomp profile (ignored for privileged containers).
   *
   * @param localhostProfile for {@link Type#LOCALHOST}: the profile file on the host, checked to be
   *     inside the node's seccomp directory; empty otherwise
   */
  public record Seccomp(Type type, String localhostProfile) {
    public Seccomp {
      Objects.requireNonNull(type, "type");
      localhostProfile = localhostProfile == null ? "" : localhostProfile;
    }

    /** Seccomp profile kinds. */
    public enum Type {
      /** No filter (the kubelet's default with Docker). */
      UNCONFINED,
      /** The engine's default profile. */
      RUNTIME_DEFAULT,
      /** A profile file on the node. */
      LOCALHOST
    }
  }
}
