package io.staticlet.docker;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * This node's IP for {@code status.hostIP}: the first IPv4 address of the interface holding the
 * default route ({@code /proc/net/route}), else the first non-loopback IPv4 address of any
 * interface that is up (skipping Docker's bridges and veths), else {@code 127.0.0.1}.
 */
final class HostIpResolver {
  static final String LOOPBACK = "127.0.0.1";
  private static final Path PROC_NET_ROUTE = Path.of("/proc/net/route");

  private HostIpResolver() {}

  static String detect() {
    return defaultRouteInterface(readLines(PROC_NET_ROUTE))
        .flatMap(HostIpResolver::ipv4Of)
        .or(HostIpResolver::anyInterfaceIpv4)
        .orElse(LOOPBACK);
  }

  /**
   * The interface of the default route with the lowest metric. Lines are {@code Iface Destination
   * Gateway Flags RefCnt Use Metric Mask ...} in hex; the default route has destination and mask 0
   * and the RTF_UP flag.
   */
  static Optional<String> defaultRouteInterface(List<String> routeLines) {
    String best = null;
    long bestMetric = Long.MAX_VALUE;
    for (String line : routeLines) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 8 || "Iface".equals(f[0])) {
        continue;
      }
      try {
        boolean isDefault = Long.parseLong(f[1], 16) == 0 && Long.parseLong(f[7], 16) == 0;
        boolean up = (Integer.parseInt(f[3], 16) & 0x1) != 0;
        long metric = Long.parseLong(f[6]);
        if (isDefault && up && metric < bestMetric) {
          best = f[0];
          bestMetric = metric;
        }
      } catch (NumberFormatException e) {
        // not a route line
      }
    }
    return Optional.ofNullable(best);
  }

  private static Optional<String> ipv4Of(String interfaceName) {
    try {
      NetworkInterface nic = NetworkInterface.getByName(interfaceName);
      return nic == null ? Optional.empty() : firstIpv4(nic);
    } catch (SocketException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> anyInterfaceIpv4() {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        String name = nic.getName();
        if (!nic.isUp()
            || nic.isLoopback()
            || name.startsWith("docker")
            || name.startsWith("veth")
            || name.startsWith("br-")) {
          continue;
        }
        Optional<String> ip = firstIpv4(nic);
        if (ip.isPresent()) {
          return ip;
        }
      }
    } catch (SocketException e) {
      // fall through to loopback
    }
    return Optional.empty();
  }

  private static Optional<String> firstIpv4(NetworkInterface nic) {
    for (InetAddress address : Collections.list(nic.getInetAddresses())) {
      if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
        return Optional.of(address.getHostAddress());
      }
    }
    return Optional.empty();
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      return List.of();
    }
  }
}
