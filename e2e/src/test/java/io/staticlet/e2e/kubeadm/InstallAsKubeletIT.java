package io.staticlet.e2e.kubeadm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.testkit.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/install-as-kubelet.sh into a scratch root: what kubeadm finds, and --uninstall puts back.
 */
class InstallAsKubeletIT {
  @TempDir Path root;

  private String install(String... extra) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Repo.root().resolve("deploy/install-as-kubelet.sh").toString(),
                "--root",
                root.toString(),
                "--jar",
                Repo.agentJar().toString()));
    cmd.addAll(List.of(extra));
    return KubeadmNode.run(cmd, 60);
  }

  @Test
  void installsTheKubeletEntryPointAndTheUnitAndUninstallRestoresThePreviousKubelet()
      throws IOException {
    Path kubelet = root.resolve("usr/bin/kubelet");
    Files.createDirectories(kubelet.getParent());
    Files.writeString(kubelet, "#!/bin/sh\necho Kubernetes v1.20.2\n");
    Files.setPosixFilePermissions(kubelet, PosixFilePermissions.fromString("rwxr-xr-x"));

    install();

    // kubeadm's preflight runs `kubelet --version` and parses it
    // (cmd/kubeadm/app/preflight/utils.go)
    String version = KubeadmNode.run(List.of(kubelet.toString(), "--version"), 30).strip();
    assertTrue(
        Pattern.matches("Kubernetes v1\\.20\\.2\\+staticlet-[-0-9a-zA-Z_.+]+", version), version);
    String dropIn =
        Files.readString(root.resolve("etc/systemd/system/kubelet.service.d/10-kubeadm.conf"));
    assertTrue(
        dropIn.contains(
            "ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS "
                + "$KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS"),
        dropIn);
    assertTrue(dropIn.contains("EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env"), dropIn);
    assertTrue(
        Files.readString(root.resolve("etc/systemd/system/kubelet.service"))
            .contains("ExecStart=/usr/bin/kubelet\n"));
    assertTrue(
        Files.readString(root.resolve("opt/staticlet/bin/staticlet")).contains("-XX:+UseSerialGC"),
        "the JVM settings travel with the launcher");

    install(); // twice is harmless: the first backup is kept
    install("--uninstall");

    assertEquals(
        "#!/bin/sh\necho Kubernetes v1.20.2\n",
        Files.readString(kubelet),
        "the previous kubelet is back");
    assertFalse(Files.exists(root.resolve("etc/systemd/system/kubelet.service")));
    assertFalse(Files.exists(root.resolve("etc/systemd/system/kubelet.service.d/10-kubeadm.conf")));
    assertFalse(Files.exists(root.resolve("opt/staticlet")));
  }

  @Test
  void keepsTheDropInKubeadmsPackagesInstalled() throws IOException {
    Path packaged = root.resolve("usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf");
    Files.createDirectories(packaged.getParent());
    Files.writeString(packaged, "[Service]\n# from the kubeadm package\n");

    install();

    assertFalse(Files.exists(root.resolve("etc/systemd/system/kubelet.service.d/10-kubeadm.conf")));
    install("--uninstall");
    assertEquals("[Service]\n# from the kubeadm package\n", Files.readString(packaged));
  }
}
