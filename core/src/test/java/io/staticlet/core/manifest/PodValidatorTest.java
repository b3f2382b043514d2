package io.staticlet.core.manifest;

import static io.staticlet.core.manifest.Fixtures.parseYaml;
import static io.staticlet.core.manifest.Fixtures.parsed;
import static io.staticlet.core.manifest.Fixtures.rejection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodValidatorTest {
  private static final String BASE = Fixtures.pod("web", "");

  @Test
  void validPodPasses() {
    parsed(parseYaml(BASE));
  }

  @Test
  void nameIsRequired() {
    assertHasError(
        BASE.replace("  name: web\n", ""),
        "metadata.name: Required value: name is needed for a static pod");
  }

  @Test
  void nameMustBeADnsSubdomainAfterSuffixing() {
    assertHasErrorStartingWith(
        BASE.replace("name: web", "name: Web_Server"),
        "metadata.name: Invalid value: \"Web_Server-node1\": a lowercase RFC 1123 subdomain must consist of");
  }

  @Test
  void suffixedNameMayNotExceed253Characters() {
    String name = "a".repeat(247); // + "-node1" = 253: fits
    parsed(parseYaml(BASE.replace("name: web", "name: " + name)));

    assertHasError(
        BASE.replace("name: web", "name: " + name + "b"),
        "metadata.name: Invalid value: \""
            + name
            + "b-node1\": must be no more than 253 characters");
  }

  @Test
  void namespaceMustBeADnsLabel() {
    assertHasErrorStartingWith(
        BASE.replace("  name: web\n", "  name: web\n  namespace: kube.system\n"),
        "metadata.namespace: Invalid value: \"kube.system\": a lowercase RFC 1123 label must consist of");
  }

  @Test
  void mirrorAnnotationIsForbidden() {
    assertHasErrorStartingWith(
        BASE.replace(
            "  name: web\n", "  name: web\n  annotations: {kubernetes.io/config.mirror: x}\n"),
        "metadata.annotations[kubernetes.io/config.mirror]: Forbidden");
  }

  @Test
  void atLeastOneContainerIsRequired() {
    assertHasError(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: []\n",
        "spec.containers: Required value");
  }

  @Test
  void containerNamesMustBeDnsLabels() {
    assertHasErrorStartingWith(
        BASE.replace("name: app", "name: App_1"),
        "spec.containers[0].name: Invalid value: \"App_1\": a lowercase RFC 1123 label must consist of");
  }

  @Test
  void containerNamesMustBeUniqueAcrossInitAndAppContainers() {
    assertHasError(
        Fixtures.pod("web", "initContainers:\n- name: app\n  image: busybox\n"),
        "spec.containers[0].name: Duplicate value: \"app\"");
  }

  @Test
  void imageIsRequired() {
    assertHasError(
        BASE.replace("    image: busybox:1.36\n", ""), "spec.containers[0].image: Required value");
  }

  @Test
  void volumeNamesMustBeUniqueDnsLabels() {
    String yaml =
        Fixtures.pod(
            "web",
            """
        volumes:
        - {name: data, emptyDir: {}}
        - {name: data, emptyDir: {}}
        - {name: Data, emptyDir: {}}
        """);

    assertHasError(yaml, "spec.volumes[1].name: Duplicate value: \"data\"");
    assertHasErrorStartingWith(
        yaml, "spec.volumes[2].name: Invalid value: \"Data\": a lowercase RFC 1123 label");
  }

  @Test
  void volumeMayHaveOnlyOneSource() {
    assertHasError(
        Fixtures.pod("web", "volumes:\n- {name: data, emptyDir: {}, hostPath: {path: /data}}\n"),
        "spec.volumes[0]: Forbidden: may not specify more than 1 volume type (found emptyDir, hostPath)");
  }

  @Test
  void hostPathNeedsAPathAndAKnownType() {
    String yaml = Fixtures.pod("web", "volumes:\n- {name: data, hostPath: {type: Dir}}\n");

    assertHasError(yaml, "spec.volumes[0].hostPath.path: Required value");
    assertHasErrorStartingWith(
        yaml, "spec.volumes[0].hostPath.type: Unsupported value: \"Dir\": supported values: ");
  }

  @Test
  void volumeMountsMustNameADeclaredVolumeAndHaveAPath() {
    String yaml =
        Fixtures.pod("web", "volumes:\n- {name: data, emptyDir: {}}\n")
            .replace(
                "image: busybox:1.36\n",
                """
        image: busybox:1.36
            volumeMounts:
            - {name: data, mountPath: /data}
            - {name: logs, mountPath: /logs}
            - {name: data}
            - {name: data, mountPath: /data}
        """);

    assertHasError(yaml, "spec.containers[0].volumeMounts[1].name: Not found: \"logs\"");
    assertHasError(yaml, "spec.containers[0].volumeMounts[2].mountPath: Required value");
    assertHasError(
        yaml,
        "spec.containers[0].volumeMounts[3].mountPath: Invalid value: \"/data\": must be unique");
  }

  @Test
  void ephemeralContainersAreForbidden() {
    assertHasError(
        Fixtures.pod("web", "ephemeralContainers:\n- name: debug\n  image: busybox\n"),
        "spec.ephemeralContainers: Forbidden: static pods may not have ephemeral containers");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "serviceAccountName: admin | spec.serviceAccountName: Forbidden: static pods may not reference serviceaccounts",
        "serviceAccount: admin | spec.serviceAccount: Forbidden: static pods may not reference serviceaccounts",
        "imagePullSecrets: [{name: registry}] | spec.imagePullSecrets: Forbidden: static pods may not reference secrets",
        "resourceClaims: [{name: gpu, resourceClaimName: gpu}] | spec.resourceClaims: Forbidden: static pods may not reference resourceclaims",
        "volumes: [{name: v, secret: {secretName: s}}] | spec.volumes[0].secret: Forbidden: static pods may not reference secrets (via secret volumes)",
        "volumes: [{name: v, configMap: {name: c}}] | spec.volumes[0].configMap: Forbidden: static pods may not reference configmaps (via configmap volumes)",
        "volumes: [{name: v, persistentVolumeClaim: {claimName: c}}] | spec.volumes[0].persistentVolumeClaim: Forbidden: static pods may not reference persistentvolumeclaims",
        "volumes: [{name: v, csi: {driver: d}}] | spec.volumes[0].csi: Forbidden: static pods may not reference csidrivers (via CSI volumes)",
        "volumes: [{name: v, ephemeral: {volumeClaimTemplate: {spec: {}}}}] | spec.volumes[0].ephemeral: Forbidden: static pods may not reference persistentvolumeclaims (via ephemeral volumes)",
        "volumes: [{name: v, glusterfs: {endpoints: e, path: p}}] | spec.volumes[0].glusterfs: Forbidden: static pods may not reference endpoints (via glusterFS volumes)",
        "volumes: [{name: v, azureFile: {secretName: s, shareName: x}}] | spec.volumes[0].azureFile: Forbidden: static pods may not reference secrets (via azureFile volumes)",
        "volumes: [{name: v, cephfs: {monitors: [m], secretRef: {name: s}}}] | spec.volumes[0].cephfs.secretRef: Forbidden: static pods may not reference secrets",
        "volumes: [{name: v, projected: {sources: [{configMap: {name: c}}]}}] | spec.volumes[0].projected.sources[0].configMap: Forbidden: static pods may not reference configmaps (via projected volumes)",
        "volumes: [{name: v, projected: {sources: [{secret: {name: s}}]}}] | spec.volumes[0].projected.sources[0].secret: Forbidden: static pods may not reference secrets (via projected volumes)",
        "volumes: [{name: v, projected: {sources: [{serviceAccountToken: {path: t}}]}}] | spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: static pods may not reference serviceaccounts (via projected volumes)",
        "volumes: [{name: v, projected: {sources: [{clusterTrustBundle: {path: b, name: n}}]}}] | spec.volumes[0].projected.sources[0].clusterTrustBundle: Forbidden: static pods may not reference clustertrustbundles",
      })
  void apiObjectReferencesInThePodSpecAreForbidden(String spec, String error) {
    assertHasError(Fixtures.pod("web", spec + "\n"), error);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "env: [{name: A, valueFrom: {secretKeyRef: {name: s, key: k}}}] | spec.containers[0].env[0].valueFrom.secretKeyRef: Forbidden: static pods may not reference secrets",
        "env: [{name: A, valueFrom: {configMapKeyRef: {name: c, key: k}}}] | spec.containers[0].env[0].valueFrom.configMapKeyRef: Forbidden: static pods may not reference configmaps",
        "envFrom: [{secretRef: {name: s}}] | spec.containers[0].envFrom[0].secretRef: Forbidden: static pods may not reference secrets",
        "envFrom: [{configMapRef: {name: c}}] | spec.containers[0].envFrom[0].configMapRef: Forbidden: static pods may not reference configmaps",
      })
  void apiObjectReferencesInContainersAreForbidden(String container, String error) {
    assertHasError(
        BASE.replace("image: busybox:1.36\n", "image: busybox:1.36\n    " + container + "\n"),
        error);
  }

  @Test
  void localVolumesAndDownwardApiAreAllowed() {
    parsed(
        parseYaml(
            Fixtures.pod(
                "web",
                """
        volumes:
        - {name: a, hostPath: {path: /data, type: Directory}}
        - {name: b, emptyDir: {medium: Memory}}
        - {name: c, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}}
        - {name: d, projected: {sources: [{downwardAPI: {items: [{path: name, fieldRef: {fieldPath: metadata.name}}]}}]}}
        - {name: e, nfs: {server: nas, path: /export}}
        """)));
  }

  @Test
  void containerPortMustBeInRange() {
    assertHasError(
        withPorts("- containerPort: 70000"),
        "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive");
    assertHasError(
        withPorts("- containerPort: 0"),
        "spec.containers[0].ports[0].containerPort: Required value");
  }

  @Test
  void hostPortMustBeInRange() {
    assertHasError(
        withPorts("- {containerPort: 80, hostPort: 65536}"),
        "spec.containers[0].ports[0].hostPort: Invalid value: 65536: must be between 0 and 65535, inclusive");
  }

  @Test
  void hostPortMustMatchContainerPortWithHostNetwork() {
    assertHasError(
        withPorts("- {containerPort: 80, hostPort: 8080}")
            .replace("spec:\n", "spec:\n  hostNetwork: true\n"),
        "spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true");
  }

  @Test
  void protocolMustBeKnown() {
    assertHasError(
        withPorts("- {containerPort: 80, protocol: tcp}"),
        "spec.containers[0].ports[0].protocol: Unsupported value: \"tcp\": supported values: \"SCTP\", \"TCP\", \"UDP\"");
  }

  @Test
  void portNamesMustBeServiceNamesAndUnique() {
    String yaml =
        withPorts(
            "- {containerPort: 80, name: web--http}\n    - {containerPort: 81, name: web--http}");

    assertHasError(
        yaml,
        "spec.containers[0].ports[0].name: Invalid value: \"web--http\": must not contain consecutive hyphens");
    assertHasError(yaml, "spec.containers[0].ports[1].name: Duplicate value: \"web--http\"");
  }

  @Test
  void restartPolicyMustBeKnown() {
    assertHasError(
        Fixtures.pod("web", "restartPolicy: Sometimes\n"),
        "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"Never\", \"OnFailure\"");
  }

  @Test
  void imagePullPolicyMustBeKnown() {
    assertHasError(
        BASE.replace(
            "image: busybox:1.36\n", "image: busybox:1.36\n    imagePullPolicy: Sometimes\n"),
        "spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"");
  }

  @Test
  void envVarNamesMustBeValid() {
    String yaml =
        BASE.replace(
            "image: busybox:1.36\n",
            "image: busybox:1.36\n    env: [{name: \"A=B\", value: x}, {value: y}]\n");

    assertHasErrorStartingWith(
        yaml,
        "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name");
    assertHasError(yaml, "spec.containers[0].env[1].name: Required value");
  }

  @Test
  void probesNeedExactlyOneHandler() {
    String yaml =
        BASE.replace(
            "image: busybox:1.36\n",
            """
        image: busybox:1.36
            livenessProbe: {periodSeconds: 5}
            readinessProbe: {exec: {command: [true]}, tcpSocket: {port: 80}}
            startupProbe: {exec: {command: [true]}, successThreshold: 2}
        """);

    assertHasError(
        yaml, "spec.containers[0].livenessProbe: Required value: must specify a handler type");
    assertHasError(
        yaml,
        "spec.containers[0].readinessProbe: Forbidden: may not specify more than 1 handler type");
    assertHasError(
        yaml, "spec.containers[0].startupProbe.successThreshold: Invalid value: 2: must be 1");
  }

  @Test
  void restartPolicyOnContainersOnlyForSidecarInitContainers() {
    parsed(
        parseYaml(
            Fixtures.pod(
                "web",
                "initContainers:\n- {name: side, image: busybox, restartPolicy: Always}\n")));

    assertHasError(
        BASE.replace("image: busybox:1.36\n", "image: busybox:1.36\n    restartPolicy: Always\n"),
        "spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers");
  }

  @Test
  void everyProblemIsReportedNamingItsField() {
    List<String> errors =
        errors(
            Fixtures.pod(
                    "web",
                    """
        restartPolicy: Sometimes
        serviceAccountName: admin
        volumes: [{name: v, secret: {secretName: s}}]
        """)
                .replace("name: app", "name: App"));

    assertEquals(4, errors.size(), errors.toString());
    for (String error : errors) {
      assertTrue(error.startsWith("spec."), error);
    }
  }

  private static String withPorts(String ports) {
    return BASE.replace(
        "image: busybox:1.36\n", "image: busybox:1.36\n    ports:\n    " + ports + "\n");
  }

  private static List<String> errors(String yaml) {
    return List.of(rejection(parseYaml(yaml)).split("; "));
  }

  private static void assertHasError(String yaml, String expected) {
    List<String> errors = errors(yaml);
    assertTrue(errors.contains(expected), () -> "expected <" + expected + "> among " + errors);
  }

  private static void assertHasErrorStartingWith(String yaml, String prefix) {
    List<String> errors = errors(yaml);
    assertTrue(
        errors.stream().anyMatch(error -> error.startsWith(prefix)),
        () -> "expected <" + prefix + "...> among " + errors);
  }
}
