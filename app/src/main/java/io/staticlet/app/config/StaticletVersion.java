package io.staticlet.app.config;

import picocli.CommandLine.IVersionProvider;

/**
 * The agent's version, from the jar manifest when packaged. {@code --version} prints it the
 * kubelet's way, {@code Kubernetes v1.20.2+staticlet-<version>}, which kubeadm's preflight parses.
 */
public final class StaticletVersion implements IVersionProvider {
  public static String get() {
    String v = StaticletVersion.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-dev" : v;
  }

  /**
   * The Kubernetes version staticlet behaves like, with ours as semver build metadata (as the Node
   * reports it).
   */
  public static String kubeletVersion() {
    return "v1.20.2+staticlet-" + get().replace("-SNAPSHOT", "");
  }

  @Override
  public String[] getVersion() {
    return new String[] {"Kubernetes " + kubeletVersion()};
  }
}
