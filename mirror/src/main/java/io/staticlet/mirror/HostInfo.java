package io.staticlet.mirror;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Objects;

/**
 * Facts about this machine published on the Node (kubelet's {@code nodeInfo}, capacity). Read once
 * from {@code /proc}, {@code /etc} and {@code /sys}; a fact that cannot be read is empty.
 *
 * @param architecture Go's name ({@code amd64}, {@code arm64}), as Kubernetes labels use it
 */
public record HostInfo(
    String operatingSystem,
    String architecture,
    String kernelVersion,
    String osImage,
    String machineId,
    String systemUuid,
    String bootId,
    int cpus,
    long memoryBytes) {
  public HostInfo {
    Objects.requireNonNull(operatingSystem, "operatingSystem");
    Objects.requireNonNull(architecture, "architecture");
    kernelVersion = Objects.requireNonNullElse(kernelVersion, "");
    osImage = Objects.requireNonNullElse(osImage, "");
    machineId = Objects.requireNonNullElse(machineId, "");
    systemUuid = Objects.requireNonNullElse(systemUuid, "");
    bootId = Objects.requireNonNullElse(bootId, "");
  }

  /** This machine. */
  public static HostInfo detect() {
    return detect(
        Path.of("/"),
        System.getProperty("os.arch", ""),
        Runtime.getRuntime().availableProcessors());
  }

  /** Reads the files below {@code root} (tests point it at a fixture tree). */
  static HostInfo detect(Path root, String javaArch, int cpus) {
    String kernel = read(root.resolve("proc/sys/kernel/osrelease"));
    if (kernel.isEmpty()) {
      kernel = System.getProperty("os.version", "");
    }
    return new HostInfo(
        "linux",
        goArch(javaArch),
        kernel,
        prettyName(read(root.resolve("etc/os-release"))),
        read(root.resolve("etc/machine-id")),
        read(root.resolve("sys/class/dmi/id/product_uuid")).toUpperCase(Locale.ROOT),
        read(root.resolve("proc/sys/kernel/random/boot_id")),
        cpus,
        memTotalBytes(read(root.resolve("proc/meminfo"))));
  }

  /**
   * The address this machine sends from on its default route (no packet is sent: connecting a UDP
   * socket only picks the route), else the first non-loopback IPv4 address, else 127.0.0.1 — what
   * the kubelet publishes as InternalIP when {@code --node-ip} is not given.
   */
  public static String defaultRouteAddress() {
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.connect(InetAddress.getByName("10.255.255.255"), 9);
      InetAddress local = socket.getLocalAddress();
      if (local != null && !local.isAnyLocalAddress() && !local.isLoopbackAddress()) {
        return local.getHostAddress();
      }
    } catch (IOException | RuntimeException e) {
      // no route: fall through
    }
    try {
      for (var nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (var address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address) {
            return address.getHostAddress();
          }
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return "127.0.0.1";
  }

  /** Java's {@code os.arch} to Go's {@code GOARCH}. */
  static String goArch(String javaArch) {
    switch (javaArch) {
      case "amd64":
      case "x86_64":
        return "amd64";
      case "aarch64":
      case "arm64":
        return "arm64";
      case "x86":
      case "i386":
      case "i686":
        return "386";
      case "arm":
        return "arm";
      default:
        return javaArch;
    }
  }

  /**
   * {@code PRETTY_NAME} of an os-release file, unquoted; "Linux" when absent (as the kubelet's
   * cadvisor does).
   */
  static String prettyName(String osRelease) {
    for (String line : osRelease.split("\n")) {
      if (line.startsWith("PRETTY_NAME=")) {
        String value = line.substring("PRETTY_NAME=".length()).trim();
        if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))) {
          value = value.substring(1, value.length() - 1);
        }
        return value;
      }
    }
    return "Linux";
  }

  /** {@code MemTotal} of a meminfo file in bytes, 0 when absent. */
  static long memTotalBytes(String meminfo) {
    for (String line : meminfo.split("\n")) {
      if (line.startsWith("MemTotal:")) {
        String[] parts = line.substring("MemTotal:".length()).trim().split("\\s+");
        long value = Long.parseLong(parts[0]);
        return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
      }
    }
    return 0;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).trim();
    } catch (IOException | SecurityException e) {
      return "";
    }
  }
}
