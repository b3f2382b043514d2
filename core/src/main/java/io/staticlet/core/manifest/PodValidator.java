package io.staticlet.core.manifest;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.staticlet.core.pod.KubeletAnnotations;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Validates a fully defaulted static pod (name already suffixed) the way the kubelet's {@code
 * ValidatePodCreate} and its static-pod checks do, for the fields staticlet acts on. Every problem
 * is one message {@code <field path>: <reason>} in the API server's wording ("Required value",
 * "Invalid value: ...", "Duplicate value", "Not found", "Unsupported value", "Forbidden"); all of
 * them are returned, in field order.
 *
 * <p>Covered: metadata name (DNS-1123 subdomain, ≤ 253) and namespace (DNS-1123 label), no {@code
 * kubernetes.io/config.mirror} annotation; ≥ 1 container; container names (init and app together)
 * unique DNS-1123 labels; image required; pull policy, restart policy, DNS policy, termination
 * message policy and port protocol from their fixed sets; ports in range, hostPort matching
 * containerPort with hostNetwork, port names (IANA service names, unique per container); env var
 * names; probes with exactly one handler (liveness/startup {@code successThreshold} 1); volume
 * names unique DNS-1123 labels, one source each, hostPath path and type; volume mounts naming a
 * declared volume, with a unique mountPath; no ephemeral containers; no API-object references
 * ({@link ApiObjectReferences}). Not covered: label/annotation syntax, resource quantities
 * (requests ≤ limits), security context details — the API server still checks those on the mirror.
 */
public final class PodValidator {
  static final int MAX_SUBDOMAIN = 253;
  static final int MAX_LABEL = 63;

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern IANA_SVC_NAME_CHARS = Pattern.compile("[-a-z0-9]+");
  private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*");

  private static final String LABEL_MESSAGE =
      "a lowercase RFC 1123 label must consist of lower case alphanumeric "
          + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
          + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  private static final String SUBDOMAIN_MESSAGE =
      "a lowercase RFC 1123 subdomain must consist of lower case "
          + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
          + "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

  private static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
  private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
  private static final List<String> DNS_POLICIES =
      List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
  private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
  private static final List<String> MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
  private static final List<String> HOST_PATH_TYPES =
      List.of(
          "",
          "DirectoryOrCreate",
          "Directory",
          "FileOrCreate",
          "File",
          "Socket",
          "CharDevice",
          "BlockDevice");

  /** apimachinery's {@code totalAnnotationSizeLimitB}. */
  static final int TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;

  private PodValidator() {}

  /** All problems of {@code pod}; empty when it is valid. */
  public static List<String> validate(Pod pod) {
    List<String> errors = new ArrayList<>();
    metadata(pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata(), errors);
    PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
    spec(spec, errors);
    return errors;
  }

  private static void metadata(ObjectMeta metadata, List<String> errors) {
    String name = metadata.getName();
    if (isEmpty(name)) {
      errors.add("metadata.name: Required value: name is needed for a static pod");
    } else {
      subdomain("metadata.name", name, errors);
    }
    String namespace = metadata.getNamespace();
    if (isEmpty(namespace)) {
      errors.add("metadata.namespace: Required value");
    } else {
      label("metadata.namespace", namespace, errors);
    }
    String annotationsSize = annotationsSize(metadata);
    if (annotationsSize != null) {
      errors.add(annotationsSize);
    }
    if (metadata.getAnnotations() != null
        && metadata.getAnnotations().containsKey(KubeletAnnotations.CONFIG_MIRROR)) {
      errors.add(
          "metadata.annotations["
              + KubeletAnnotations.CONFIG_MIRROR
              + "]: Forbidden: "
              + "set by the agent on mirror pods, not in manifests");
    }
  }

  /**
   * The API's limit on all annotations together (apimachinery {@code ValidateAnnotations}: keys
   * plus values, in UTF-8 bytes, at most 256 KiB), or null when they fit.
   */
  static String annotationsSize(ObjectMeta metadata) {
    if (metadata == null || metadata.getAnnotations() == null) {
      return null;
    }
    long total = 0;
    for (var entry : metadata.getAnnotations().entrySet()) {
      total += utf8Length(entry.getKey()) + utf8Length(entry.getValue());
    }
    if (total <= TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) {
      return null;
    }
    return "metadata.annotations: Too long: must have at most "
        + TOTAL_ANNOTATION_SIZE_LIMIT_BYTES
        + " bytes (they have "
        + total
        + ")";
  }

  private static long utf8Length(String s) {
    if (s == null) {
      return 0;
    }
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private static void spec(PodSpec spec, List<String> errors) {
    List<Container> init = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
    List<Container> app = spec.getContainers() == null ? List.of() : spec.getContainers();
    List<Volume> volumes = spec.getVolumes() == null ? List.of() : spec.getVolumes();
    boolean hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());

    Set<String> volumeNames = volumes(volumes, errors);
    if (app.isEmpty()) {
      errors.add("spec.containers: Required value");
    }
    Set<String> containerNames = new HashSet<>();
    for (int i = 0; i < init.size(); i++) {
      container(
          "spec.initContainers[" + i + "]",
          init.get(i),
          true,
          hostNetwork,
          containerNames,
          volumeNames,
          errors);
    }
    for (int i = 0; i < app.size(); i++) {
      container(
          "spec.containers[" + i + "]",
          app.get(i),
          false,
          hostNetwork,
          containerNames,
          volumeNames,
          errors);
    }
    if (spec.getEphemeralContainers() != null && !spec.getEphemeralContainers().isEmpty()) {
      errors.add(
          "spec.ephemeralContainers: Forbidden: static pods may not have ephemeral containers");
    }
    oneOf("spec.restartPolicy", spec.getRestartPolicy(), RESTART_POLICIES, errors);
    oneOf("spec.dnsPolicy", spec.getDnsPolicy(), DNS_POLICIES, errors);
    ApiObjectReferences.check(spec, errors::add);
  }

  private static Set<String> volumes(List<Volume> volumes, List<String> errors) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < volumes.size(); i++) {
      String path = "spec.volumes[" + i + "]";
      Volume volume = volumes.get(i);
      if (volume == null) {
        errors.add(path + ": Required value");
        continue;
      }
      String name = volume.getName();
      if (isEmpty(name)) {
        errors.add(path + ".name: Required value");
      } else if (label(path + ".name", name, errors) && !names.add(name)) {
        errors.add(path + ".name: Duplicate value: \"" + name + "\"");
      }
      if (VolumeSources.count(volume) > 1) {
        errors.add(
            path
                + ": Forbidden: may not specify more than 1 volume type (found "
                + String.join(", ", VolumeSources.present(volume))
                + ")");
      }
      if (volume.getHostPath() != null) {
        if (isEmpty(volume.getHostPath().getPath())) {
          errors.add(path + ".hostPath.path: Required value");
        }
        String type = volume.getHostPath().getType() == null ? "" : volume.getHostPath().getType();
        oneOf(path + ".hostPath.type", type, HOST_PATH_TYPES, errors);
      }
    }
    return names;
  }

  private static void container(
      String path,
      Container container,
      boolean init,
      boolean hostNetwork,
      Set<String> containerNames,
      Set<String> volumeNames,
      List<String> errors) {
    if (container == null) {
      errors.add(path + ": Required value");
      return;
    }
    String name = container.getName();
    if (isEmpty(name)) {
      errors.add(path + ".name: Required value");
    } else if (label(path + ".name", name, errors) && !containerNames.add(name)) {
      errors.add(path + ".name: Duplicate value: \"" + name + "\"");
    }
    String image = container.getImage();
    if (image == null || image.isBlank()) {
      errors.add(path + ".image: Required value");
    } else if (!image.equals(image.strip())) {
      errors.add(
          path
              + ".image: Invalid value: \""
              + image
              + "\": must not have leading or trailing whitespace");
    }
    oneOf(path + ".imagePullPolicy", container.getImagePullPolicy(), PULL_POLICIES, errors);
    oneOf(
        path + ".terminationMessagePolicy",
        container.getTerminationMessagePolicy(),
        MESSAGE_POLICIES,
        errors);
    if (container.getRestartPolicy() != null) {
      if (!init) {
        errors.add(path + ".restartPolicy: Forbidden: may not be set for non-init containers");
      } else {
        oneOf(path + ".restartPolicy", container.getRestartPolicy(), List.of("Always"), errors);
      }
    }
    ports(path, container.getPorts(), hostNetwork, errors);
    env(path, container.getEnv(), errors);
    probe(path + ".livenessProbe", container.getLivenessProbe(), true, errors);
    probe(path + ".readinessProbe", container.getReadinessProbe(), false, errors);
    probe(path + ".startupProbe", container.getStartupProbe(), true, errors);
    mounts(path, container.getVolumeMounts(), volumeNames, errors);
  }

  private static void ports(
      String base, List<ContainerPort> ports, boolean hostNetwork, List<String> errors) {
    if (ports == null) {
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      String path = base + ".ports[" + i + "]";
      ContainerPort port = ports.get(i);
      if (port == null) {
        errors.add(path + ": Required value");
        continue;
      }
      if (!isEmpty(port.getName())) {
        portName(path + ".name", port.getName(), errors);
        if (!names.add(port.getName())) {
          errors.add(path + ".name: Duplicate value: \"" + port.getName() + "\"");
        }
      }
      Integer containerPort = port.getContainerPort();
      if (containerPort == null || containerPort == 0) {
        errors.add(path + ".containerPort: Required value");
      } else if (containerPort < 1 || containerPort > 65535) {
        errors.add(
            path
                + ".containerPort: Invalid value: "
                + containerPort
                + ": must be between 1 and 65535, inclusive");
      }
      Integer hostPort = port.getHostPort();
      if (hostPort != null && (hostPort < 0 || hostPort > 65535)) {
        errors.add(
            path
                + ".hostPort: Invalid value: "
                + hostPort
                + ": must be between 0 and 65535, inclusive");
      } else if (hostNetwork
          && hostPort != null
          && hostPort != 0
          && !hostPort.equals(containerPort)) {
        errors.add(
            path
                + ".hostPort: Invalid value: "
                + hostPort
                + ": must match `containerPort` when `hostNetwork` is true");
      }
      oneOf(path + ".protocol", port.getProtocol(), PROTOCOLS, errors);
    }
  }

  private static void portName(String path, String name, List<String> errors) {
    String invalid = path + ": Invalid value: \"" + name + "\": ";
    if (name.length() > 15) {
      errors.add(invalid + "must be no more than 15 characters");
    }
    if (!IANA_SVC_NAME_CHARS.matcher(name).matches()) {
      errors.add(
          invalid + "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }
    if (name.contains("--")) {
      errors.add(invalid + "must not contain consecutive hyphens");
    }
    if (!HAS_LETTER.matcher(name).matches()) {
      errors.add(invalid + "must contain at least one letter (a-z)");
    }
    if (name.startsWith("-") || name.endsWith("-")) {
      errors.add(invalid + "must not begin or end with a hyphen");
    }
  }

  /**
   * The current kubelet's rule (RelaxedEnvironmentVariableValidation): printable ASCII except '='.
   */
  private static void env(String base, List<EnvVar> env, List<String> errors) {
    if (env == null) {
      return;
    }
    for (int i = 0; i < env.size(); i++) {
      String path = base + ".env[" + i + "]";
      EnvVar var = env.get(i);
      if (var == null || isEmpty(var.getName())) {
        errors.add(path + ".name: Required value");
        continue;
      }
      String name = var.getName();
      boolean valid = name.chars().allMatch(c -> c >= 32 && c <= 126 && c != '=');
      if (!valid) {
        errors.add(
            path
                + ".name: Invalid value: \""
                + name
                + "\": a valid environment variable name must consist only "
                + "of printable ASCII characters other than '='");
      }
    }
  }

  private static void probe(
      String path, Probe probe, boolean successMustBeOne, List<String> errors) {
    if (probe == null) {
      return;
    }
    int handlers = 0;
    for (Object handler :
        new Object[] {probe.getExec(), probe.getHttpGet(), probe.getTcpSocket(), probe.getGrpc()}) {
      if (handler != null) {
        handlers++;
      }
    }
    if (handlers == 0) {
      errors.add(path + ": Required value: must specify a handler type");
    } else if (handlers > 1) {
      errors.add(path + ": Forbidden: may not specify more than 1 handler type");
    }
    Integer success = probe.getSuccessThreshold();
    if (successMustBeOne && success != null && success != 1) {
      errors.add(path + ".successThreshold: Invalid value: " + success + ": must be 1");
    }
  }

  private static void mounts(
      String base, List<VolumeMount> mounts, Set<String> volumeNames, List<String> errors) {
    if (mounts == null) {
      return;
    }
    Set<String> mountPaths = new HashSet<>();
    for (int i = 0; i < mounts.size(); i++) {
      String path = base + ".volumeMounts[" + i + "]";
      VolumeMount mount = mounts.get(i);
      if (mount == null) {
        errors.add(path + ": Required value");
        continue;
      }
      if (isEmpty(mount.getName())) {
        errors.add(path + ".name: Required value");
      } else if (!volumeNames.contains(mount.getName())) {
        errors.add(path + ".name: Not found: \"" + mount.getName() + "\"");
      }
      if (isEmpty(mount.getMountPath())) {
        errors.add(path + ".mountPath: Required value");
      } else if (!mountPaths.add(mount.getMountPath())) {
        errors.add(
            path + ".mountPath: Invalid value: \"" + mount.getMountPath() + "\": must be unique");
      }
    }
  }

  private static boolean label(String path, String value, List<String> errors) {
    boolean ok = true;
    if (value.length() > MAX_LABEL) {
      errors.add(
          path
              + ": Invalid value: \""
              + value
              + "\": must be no more than "
              + MAX_LABEL
              + " characters");
      ok = false;
    }
    if (!DNS_LABEL.matcher(value).matches()) {
      errors.add(path + ": Invalid value: \"" + value + "\": " + LABEL_MESSAGE);
      ok = false;
    }
    return ok;
  }

  private static void subdomain(String path, String value, List<String> errors) {
    if (value.length() > MAX_SUBDOMAIN) {
      errors.add(
          path
              + ": Invalid value: \""
              + value
              + "\": must be no more than "
              + MAX_SUBDOMAIN
              + " characters");
    }
    if (!DNS_SUBDOMAIN.matcher(value).matches()) {
      errors.add(path + ": Invalid value: \"" + value + "\": " + SUBDOMAIN_MESSAGE);
    }
  }

  private static void oneOf(
      String path, String value, List<String> supported, List<String> errors) {
    if (value == null || !supported.contains(value)) {
      String list =
          supported.stream().sorted().map(s -> "\"" + s + "\"").collect(Collectors.joining(", "));
      errors.add(
          path
              + ": Unsupported value: \""
              + (value == null ? "" : value)
              + "\": supported values: "
              + list);
    }
  }

  private static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }
}
