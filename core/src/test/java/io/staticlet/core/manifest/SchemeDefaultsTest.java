package io.staticlet.core.manifest;

import static io.staticlet.core.manifest.Fixtures.parseYaml;
import static io.staticlet.core.manifest.Fixtures.parsed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchemeDefaultsTest {

  @Test
  void podLevelDefaultsAreApplied() {
    PodSpec spec = pod(Fixtures.pod("web", "")).getSpec();

    assertEquals("Always", spec.getRestartPolicy());
    assertEquals("ClusterFirst", spec.getDnsPolicy());
    assertEquals(30L, spec.getTerminationGracePeriodSeconds());
    assertNotNull(spec.getSecurityContext());
    assertEquals("default-scheduler", spec.getSchedulerName());
    assertEquals(true, spec.getEnableServiceLinks());
  }

  @Test
  void valuesWrittenInTheManifestAreKept() {
    PodSpec spec =
        pod(Fixtures.pod(
                "web",
                """
        restartPolicy: Never
        dnsPolicy: Default
        terminationGracePeriodSeconds: 0
        enableServiceLinks: false
        """))
            .getSpec();

    assertEquals("Never", spec.getRestartPolicy());
    assertEquals("Default", spec.getDnsPolicy());
    assertEquals(0L, spec.getTerminationGracePeriodSeconds());
    assertEquals(false, spec.getEnableServiceLinks());
  }

  @Test
  void initAndAppContainersGetContainerDefaults() {
    PodSpec spec =
        pod(Fixtures.pod(
                "web",
                """
        initContainers:
        - name: init
          image: busybox
        """))
            .getSpec();

    for (Container container :
        new Container[] {spec.getInitContainers().get(0), spec.getContainers().get(0)}) {
      assertEquals("/dev/termination-log", container.getTerminationMessagePath());
      assertEquals("File", container.getTerminationMessagePolicy());
    }
    assertEquals("Always", spec.getInitContainers().get(0).getImagePullPolicy());
    assertEquals("IfNotPresent", spec.getContainers().get(0).getImagePullPolicy());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "nginx, Always",
    "nginx:latest, Always",
    "nginx:1.25, IfNotPresent",
    "docker.io/library/nginx, Always",
    "localhost:5000/nginx, Always",
    "localhost:5000/nginx:1.25, IfNotPresent",
    "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, IfNotPresent",
    "nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, Always",
    "nginx:1.25@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, IfNotPresent",
  })
  void imagePullPolicyFollowsTheTag(String image, String policy) {
    assertEquals(policy, SchemeDefaults.defaultPullPolicy(image));
  }

  @Test
  void portsDefaultToTcpAndHostPortOnlyWithHostNetwork() {
    String ports =
        """
        ports:
        - containerPort: 80
        - containerPort: 53
          protocol: UDP
        """
            .indent(4);
    Container plain =
        pod(Fixtures.pod("web", "")
                .replace("image: busybox:1.36\n", "image: busybox:1.36\n" + ports))
            .getSpec()
            .getContainers()
            .get(0);
    Container host =
        pod(Fixtures.pod("web", "hostNetwork: true\n")
                .replace("image: busybox:1.36\n", "image: busybox:1.36\n" + ports))
            .getSpec()
            .getContainers()
            .get(0);

    assertEquals("TCP", plain.getPorts().get(0).getProtocol());
    assertEquals("UDP", plain.getPorts().get(1).getProtocol());
    assertNull(plain.getPorts().get(0).getHostPort());
    assertEquals(80, host.getPorts().get(0).getHostPort());
    assertEquals(53, host.getPorts().get(1).getHostPort());
  }

  @Test
  void probesGetTimingDefaultsAndHttpGetGetsPathAndScheme() {
    Container container =
        pod(Fixtures.pod("web", "")
                .replace(
                    "image: busybox:1.36\n",
                    """
        image: busybox:1.36
        livenessProbe:
          httpGet: {port: 80}
        readinessProbe:
          tcpSocket: {port: 80}
          periodSeconds: 5
        startupProbe:
          exec: {command: [true]}
          timeoutSeconds: 0
        """
                        .indent(4)
                        .stripLeading()))
            .getSpec()
            .getContainers()
            .get(0);

    assertProbe(container.getLivenessProbe(), 1, 10);
    assertEquals("/", container.getLivenessProbe().getHttpGet().getPath());
    assertEquals("HTTP", container.getLivenessProbe().getHttpGet().getScheme());
    assertProbe(container.getReadinessProbe(), 1, 5);
    assertProbe(container.getStartupProbe(), 1, 10);
  }

  @Test
  void requestsDefaultToLimitsPerResource() {
    Container container =
        pod(Fixtures.pod("web", "")
                .replace(
                    "image: busybox:1.36\n",
                    """
        image: busybox:1.36
        resources:
          limits: {cpu: "1", memory: 64Mi}
          requests: {cpu: 100m}
        """
                        .indent(4)
                        .stripLeading()))
            .getSpec()
            .getContainers()
            .get(0);

    assertEquals(
        Map.of("cpu", new Quantity("100m"), "memory", new Quantity("64Mi")),
        container.getResources().getRequests());
  }

  @Test
  void volumesGetSourceDefaults() {
    PodSpec spec =
        pod(Fixtures.pod(
                "web",
                """
        volumes:
        - name: host
          hostPath: {path: /data}
        - name: scratch
        - name: info
          downwardAPI:
            items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]
        """))
            .getSpec();

    assertEquals("", spec.getVolumes().get(0).getHostPath().getType());
    assertNotNull(spec.getVolumes().get(1).getEmptyDir());
    assertEquals(0644, spec.getVolumes().get(2).getDownwardAPI().getDefaultMode());
    assertEquals(
        "v1",
        spec.getVolumes().get(2).getDownwardAPI().getItems().get(0).getFieldRef().getApiVersion());
  }

  @Test
  void namespaceDefaultsToDefault() {
    assertEquals("default", pod(Fixtures.pod("web", "")).getMetadata().getNamespace());
    assertEquals(
        "kube-system",
        pod(Fixtures.pod("web", "")
                .replace("  name: web\n", "  name: web\n  namespace: kube-system\n"))
            .getMetadata()
            .getNamespace());
  }

  private static void assertProbe(Probe probe, int timeout, int period) {
    assertEquals(timeout, probe.getTimeoutSeconds());
    assertEquals(period, probe.getPeriodSeconds());
    assertEquals(1, probe.getSuccessThreshold());
    assertEquals(3, probe.getFailureThreshold());
  }

  private static Pod pod(String yaml) {
    return parsed(parseYaml(yaml)).pod();
  }
}
