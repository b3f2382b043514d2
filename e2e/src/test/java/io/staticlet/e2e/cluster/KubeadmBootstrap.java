package io.staticlet.e2e.cluster;

import io.staticlet.testkit.ControlPlane;
import io.staticlet.testkit.Kubectl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * What {@code kubeadm init} sets up for TLS bootstrap and certificate rotation ({@code
 * cmd/kubeadm/app/phases/bootstraptoken}), made with kubectl as admin: a bootstrap token Secret
 * {@code bootstrap-token-<id>} in kube-system ({@code usage-bootstrap-authentication}, {@code
 * auth-extra-groups: system:bootstrappers:kubeadm:default-node-token}) and the ClusterRoleBindings
 * {@code kubeadm:kubelet-bootstrap}, {@code kubeadm:node-autoapprove-bootstrap} and {@code
 * kubeadm:node-autoapprove-certificate-rotation}; plus the bootstrap kubeconfig kubeadm join writes
 * ({@code bootstrap-kubelet.conf}).
 */
final class KubeadmBootstrap {
  static final String GROUP = "system:bootstrappers:kubeadm:default-node-token";
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private KubeadmBootstrap() {}

  /** Creates a new token (and the bindings, idempotently); returns {@code <id>.<secret>}. */
  static String createToken(ControlPlane cp) {
    String id = random(6);
    String secret = random(16);
    apply(
        cp,
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: bootstrap-token-%s
          namespace: kube-system
        type: bootstrap.kubernetes.io/token
        stringData:
          description: staticlet e2e TLS bootstrap
          token-id: %s
          token-secret: %s
          usage-bootstrap-authentication: "true"
          usage-bootstrap-signing: "true"
          auth-extra-groups: %s
        """
                .formatted(id, id, secret, GROUP)
            + binding("kubeadm:kubelet-bootstrap", "system:node-bootstrapper", GROUP)
            + binding(
                "kubeadm:node-autoapprove-bootstrap",
                "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
                GROUP)
            + binding(
                "kubeadm:node-autoapprove-certificate-rotation",
                "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
                "system:nodes"));
    return id + "." + secret;
  }

  /**
   * The rest of what {@code kubeadm init} publishes for {@code kubeadm join} of a worker: the
   * {@code cluster-info} ConfigMap (kube-public, readable anonymously; the bootstrapsigner
   * controller signs it for every token), {@code kubeadm-config} and {@code kubelet-config-1.20}
   * (kube-system, readable by bootstrappers and nodes), and {@code kubeadm:get-nodes}.
   */
  static void publishJoinConfiguration(ControlPlane cp) {
    try {
      String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(cp.caCertificate()));
      String port = String.valueOf(cp.apiServerUrl().getPort());
      apply(
          cp,
          """
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: cluster-info, namespace: kube-public}
          data:
            kubeconfig: |
              apiVersion: v1
              kind: Config
              clusters:
              - cluster:
                  certificate-authority-data: %s
                  server: %s
                name: ""
              contexts: null
              current-context: ""
              preferences: {}
              users: null
          ---
          apiVersion: rbac.authorization.k8s.io/v1
          kind: Role
          metadata: {name: kubeadm:bootstrap-signer-clusterinfo, namespace: kube-public}
          rules: [{apiGroups: [""], resources: [configmaps], resourceNames: [cluster-info], verbs: [get]}]
          ---
          apiVersion: rbac.authorization.k8s.io/v1
          kind: RoleBinding
          metadata: {name: kubeadm:bootstrap-signer-clusterinfo, namespace: kube-public}
          roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: kubeadm:bootstrap-signer-clusterinfo}
          subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: system:anonymous}]
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: kubeadm-config, namespace: kube-system}
          data:
            ClusterConfiguration: |
              apiVersion: kubeadm.k8s.io/v1beta2
              kind: ClusterConfiguration
              kubernetesVersion: v1.20.2
              clusterName: kubernetes
              controlPlaneEndpoint: 127.0.0.1:%s
              certificatesDir: /etc/kubernetes/pki
              networking: {serviceSubnet: 10.0.0.0/24, dnsDomain: cluster.local}
            ClusterStatus: |
              apiVersion: kubeadm.k8s.io/v1beta2
              kind: ClusterStatus
              apiEndpoints: {}
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: kubelet-config-1.20, namespace: kube-system}
          data:
            kubelet: |
              apiVersion: kubelet.config.k8s.io/v1beta1
              kind: KubeletConfiguration
              staticPodPath: /etc/kubernetes/manifests
              rotateCertificates: true
              healthzBindAddress: 127.0.0.1
              healthzPort: 10248
              authentication: {anonymous: {enabled: false}, webhook: {enabled: true}, x509: {clientCAFile: /etc/kubernetes/pki/ca.crt}}
              authorization: {mode: Webhook}
          ---
          apiVersion: rbac.authorization.k8s.io/v1
          kind: Role
          metadata: {name: kubeadm:nodes-kubeadm-config, namespace: kube-system}
          rules: [{apiGroups: [""], resources: [configmaps], resourceNames: [kubeadm-config, kubelet-config-1.20], verbs: [get]}]
          ---
          apiVersion: rbac.authorization.k8s.io/v1
          kind: RoleBinding
          metadata: {name: kubeadm:nodes-kubeadm-config, namespace: kube-system}
          roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: kubeadm:nodes-kubeadm-config}
          subjects:
          - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: %s}
          - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:nodes}
          ---
          apiVersion: rbac.authorization.k8s.io/v1
          kind: ClusterRole
          metadata: {name: kubeadm:get-nodes}
          rules: [{apiGroups: [""], resources: [nodes], verbs: [get]}]
          """
                  .formatted(ca, cp.apiServerUrl(), port, GROUP)
              + binding("kubeadm:get-nodes", "kubeadm:get-nodes", GROUP));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String binding(String name, String clusterRole, String group) {
    return """
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: %s
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: %s
        subjects:
        - apiGroup: rbac.authorization.k8s.io
          kind: Group
          name: %s
        """
        .formatted(name, clusterRole, group);
  }

  /**
   * Writes a bootstrap kubeconfig as {@code kubeadm join} does: the API server, its CA, the token.
   */
  static Path writeBootstrapKubeconfig(ControlPlane cp, Path file, String token) {
    return writeKubeconfig(cp, file, "tls-bootstrap-token-user", "    token: " + token + "\n");
  }

  /**
   * A kubeconfig for the control plane's API server and CA with one user whose {@code user:} fields
   * are {@code userFields}.
   */
  static Path writeKubeconfig(ControlPlane cp, Path file, String user, String userFields) {
    try {
      String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(cp.caCertificate()));
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(
          file,
          """
          apiVersion: v1
          kind: Config
          clusters:
          - cluster:
              certificate-authority-data: %s
              server: %s
            name: kubernetes
          contexts:
          - context:
              cluster: kubernetes
              user: %s
            name: %s@kubernetes
          current-context: %s@kubernetes
          users:
          - name: %s
            user:
          """
                  .formatted(ca, cp.apiServerUrl(), user, user, user, user)
              + userFields);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void apply(ControlPlane cp, String yaml) {
    Kubectl.Result r = cp.kubectlWithInput(yaml, "apply", "-f", "-");
    if (r.exitCode() != 0) {
      throw new AssertionError("kubectl apply of the bootstrap token objects failed: " + r);
    }
  }

  private static String random(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < n; i++) {
      s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }
}
