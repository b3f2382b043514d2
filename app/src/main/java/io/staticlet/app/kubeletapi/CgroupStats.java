package io.staticlet.app.kubeletapi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * CPU and memory of the node and of engine containers, read where cAdvisor reads them: {@code
 * /proc/stat} and {@code /proc/meminfo} for the node, the container's cgroup (v1 {@code cpuacct}
 * and {@code memory}, or v2) for containers, under the engine's {@code cgroupfs} ({@code
 * docker/<id>}) or {@code systemd} ({@code system.slice/docker-<id>.scope}) layout. Working set =
 * usage minus inactive file pages, as the kubelet reports it.
 */
final class CgroupStats {
  /** One reading. */
  record Usage(long cpuNanos, long workingSetBytes, long usageBytes, long rssBytes) {}

  /** The node's reading, with what only the node has. */
  record NodeUsage(Usage usage, long availableBytes, long bootEpochSecond) {}

  /**
   * Clock ticks per second of {@code /proc/stat} (USER_HZ, 100 on every Linux the kubelet runs on).
   */
  private static final long USER_HZ = 100;

  private final Path proc;
  private final Path cgroup;

  CgroupStats(Path proc, Path cgroup) {
    this.proc = proc;
    this.cgroup = cgroup;
  }

  static CgroupStats host() {
    return new CgroupStats(Path.of("/proc"), Path.of("/sys/fs/cgroup"));
  }

  NodeUsage node() throws IOException {
    long cpuTicks = 0;
    long boot = 0;
    for (String line : Files.readAllLines(proc.resolve("stat"))) {
      if (line.startsWith("cpu ")) {
        String[] f = line.trim().split("\\s+");
        // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy
        for (int i = 1; i < Math.min(f.length, 9); i++) {
          if (i != 4 && i != 5) {
            cpuTicks += Long.parseLong(f[i]);
          }
        }
      } else if (line.startsWith("btime ")) {
        boot = Long.parseLong(line.substring(6).trim());
      }
    }
    long total = 0;
    long free = 0;
    long available = 0;
    long inactiveFile = 0;
    long anon = 0;
    for (String line : Files.readAllLines(proc.resolve("meminfo"))) {
      String[] f = line.split("[:\\s]+");
      if (f.length < 2) {
        continue;
      }
      long kib = Long.parseLong(f[1]);
      switch (f[0]) {
        case "MemTotal" -> total = kib * 1024;
        case "MemFree" -> free = kib * 1024;
        case "MemAvailable" -> available = kib * 1024;
        case "Inactive(file)" -> inactiveFile = kib * 1024;
        case "AnonPages" -> anon = kib * 1024;
        default -> {}
      }
    }
    long usage = total - free;
    return new NodeUsage(
        new Usage(
            cpuTicks * (1_000_000_000L / USER_HZ), Math.max(0, usage - inactiveFile), usage, anon),
        available,
        boot);
  }

  /** The container's reading, or empty when its cgroup is not found (gone, or another layout). */
  Optional<Usage> container(String id) {
    try {
      if (Files.exists(cgroup.resolve("cgroup.controllers"))) {
        for (Path dir :
            List.of(
                cgroup.resolve("docker").resolve(id),
                cgroup.resolve("system.slice/docker-" + id + ".scope"))) {
          if (Files.isDirectory(dir)) {
            long cpu = statValue(dir.resolve("cpu.stat"), "usage_usec") * 1000;
            long usage = number(dir.resolve("memory.current"));
            long inactive = statValue(dir.resolve("memory.stat"), "inactive_file");
            return Optional.of(
                new Usage(
                    cpu,
                    Math.max(0, usage - inactive),
                    usage,
                    statValue(dir.resolve("memory.stat"), "anon")));
          }
        }
        return Optional.empty();
      }
      for (String layout : List.of("docker/" + id, "system.slice/docker-" + id + ".scope")) {
        Path cpuDir = cgroup.resolve("cpuacct").resolve(layout);
        Path memDir = cgroup.resolve("memory").resolve(layout);
        if (Files.isDirectory(cpuDir) && Files.isDirectory(memDir)) {
          long usage = number(memDir.resolve("memory.usage_in_bytes"));
          long inactive = statValue(memDir.resolve("memory.stat"), "total_inactive_file");
          return Optional.of(
              new Usage(
                  number(cpuDir.resolve("cpuacct.usage")),
                  Math.max(0, usage - inactive),
                  usage,
                  statValue(memDir.resolve("memory.stat"), "total_rss")));
        }
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // the container went away while we read it
    }
  }

  private static long number(Path file) throws IOException {
    return Long.parseLong(Files.readString(file).trim());
  }

  private static long statValue(Path file, String key) throws IOException {
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith(key + " ")) {
        return Long.parseLong(line.substring(key.length() + 1).trim());
      }
    }
    return 0;
  }
}
