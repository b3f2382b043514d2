package io.staticlet.core.manifest;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Rejects references to API objects (DECISIONS.md 14, docs/kubelet.md §2.5): a static pod must
 * start without the API server, and NodeRestriction would refuse its mirror anyway. Same coverage
 * and wording as the kubelet's {@code HasAPIObjectReference} ("static pods may not reference
 * secrets (via secret volumes)"), but every reference is reported with its field path, not only the
 * first.
 */
final class ApiObjectReferences {
  private ApiObjectReferences() {}

  static void check(PodSpec spec, Consumer<String> errors) {
    Reporter report =
        (path, resource) ->
            errors.accept(path + ": Forbidden: static pods may not reference " + resource);
    if (notEmpty(spec.getServiceAccountName())) {
      report.at("spec.serviceAccountName", "serviceaccounts");
    }
    if (notEmpty(spec.getServiceAccount())) {
      report.at("spec.serviceAccount", "serviceaccounts");
    }
    if (spec.getImagePullSecrets() != null && !spec.getImagePullSecrets().isEmpty()) {
      report.at("spec.imagePullSecrets", "secrets");
    }
    if (spec.getResourceClaims() != null && !spec.getResourceClaims().isEmpty()) {
      report.at("spec.resourceClaims", "resourceclaims");
    }
    containers("spec.initContainers", spec.getInitContainers(), report);
    containers("spec.containers", spec.getContainers(), report);
    List<Volume> volumes = spec.getVolumes() == null ? List.of() : spec.getVolumes();
    for (int i = 0; i < volumes.size(); i++) {
      volume("spec.volumes[" + i + "]", volumes.get(i), report);
    }
  }

  private static void containers(String base, List<Container> containers, Reporter report) {
    if (containers == null) {
      return;
    }
    for (int i = 0; i < containers.size(); i++) {
      Container container = containers.get(i);
      String path = base + "[" + i + "]";
      List<EnvVar> env = container.getEnv() == null ? List.of() : container.getEnv();
      for (int j = 0; j < env.size(); j++) {
        EnvVar var = env.get(j);
        if (var == null || var.getValueFrom() == null) {
          continue;
        }
        if (var.getValueFrom().getSecretKeyRef() != null) {
          report.at(path + ".env[" + j + "].valueFrom.secretKeyRef", "secrets");
        }
        if (var.getValueFrom().getConfigMapKeyRef() != null) {
          report.at(path + ".env[" + j + "].valueFrom.configMapKeyRef", "configmaps");
        }
      }
      List<EnvFromSource> envFrom =
          container.getEnvFrom() == null ? List.of() : container.getEnvFrom();
      for (int j = 0; j < envFrom.size(); j++) {
        EnvFromSource source = envFrom.get(j);
        if (source == null) {
          continue;
        }
        if (source.getSecretRef() != null) {
          report.at(path + ".envFrom[" + j + "].secretRef", "secrets");
        }
        if (source.getConfigMapRef() != null) {
          report.at(path + ".envFrom[" + j + "].configMapRef", "configmaps");
        }
      }
      if (container.getResources() != null
          && container.getResources().getClaims() != null
          && !container.getResources().getClaims().isEmpty()) {
        report.at(path + ".resources.claims", "resourceclaims");
      }
    }
  }

  private static void volume(String path, Volume volume, Reporter report) {
    if (volume == null) {
      return;
    }
    if (volume.getConfigMap() != null) {
      report.at(path + ".configMap", "configmaps (via configmap volumes)");
    }
    if (volume.getSecret() != null) {
      report.at(path + ".secret", "secrets (via secret volumes)");
    }
    if (volume.getCsi() != null) {
      report.at(path + ".csi", "csidrivers (via CSI volumes)");
    }
    if (volume.getGlusterfs() != null) {
      report.at(path + ".glusterfs", "endpoints (via glusterFS volumes)");
    }
    if (volume.getPersistentVolumeClaim() != null) {
      report.at(path + ".persistentVolumeClaim", "persistentvolumeclaims");
    }
    if (volume.getEphemeral() != null) {
      report.at(path + ".ephemeral", "persistentvolumeclaims (via ephemeral volumes)");
    }
    if (volume.getAzureFile() != null) {
      report.at(path + ".azureFile", "secrets (via azureFile volumes)");
    }
    secretRef(
        path + ".cephfs.secretRef",
        volume.getCephfs() == null ? null : volume.getCephfs().getSecretRef(),
        report);
    secretRef(
        path + ".cinder.secretRef",
        volume.getCinder() == null ? null : volume.getCinder().getSecretRef(),
        report);
    secretRef(
        path + ".flexVolume.secretRef",
        volume.getFlexVolume() == null ? null : volume.getFlexVolume().getSecretRef(),
        report);
    secretRef(
        path + ".iscsi.secretRef",
        volume.getIscsi() == null ? null : volume.getIscsi().getSecretRef(),
        report);
    secretRef(
        path + ".rbd.secretRef",
        volume.getRbd() == null ? null : volume.getRbd().getSecretRef(),
        report);
    secretRef(
        path + ".scaleIO.secretRef",
        volume.getScaleIO() == null ? null : volume.getScaleIO().getSecretRef(),
        report);
    secretRef(
        path + ".storageos.secretRef",
        volume.getStorageos() == null ? null : volume.getStorageos().getSecretRef(),
        report);
    if (volume.getProjected() != null && volume.getProjected().getSources() != null) {
      List<VolumeProjection> sources = volume.getProjected().getSources();
      for (int i = 0; i < sources.size(); i++) {
        VolumeProjection source = sources.get(i);
        String at = path + ".projected.sources[" + i + "]";
        if (source == null) {
          continue;
        }
        if (source.getConfigMap() != null) {
          report.at(at + ".configMap", "configmaps (via projected volumes)");
        }
        if (source.getSecret() != null) {
          report.at(at + ".secret", "secrets (via projected volumes)");
        }
        if (source.getServiceAccountToken() != null) {
          report.at(at + ".serviceAccountToken", "serviceaccounts (via projected volumes)");
        }
        if (source.getClusterTrustBundle() != null) {
          report.at(at + ".clusterTrustBundle", "clustertrustbundles");
        }
        if (source.getPodCertificate() != null) {
          report.at(at + ".podCertificate", "podcertificates");
        }
      }
    }
  }

  private static void secretRef(String path, LocalObjectReference reference, Reporter report) {
    if (reference != null) {
      report.at(path, "secrets");
    }
  }

  private static boolean notEmpty(String value) {
    return value != null && !value.isEmpty();
  }

  @FunctionalInterface
  private interface Reporter {
    void at(String path, String resource);
  }
}
