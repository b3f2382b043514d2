package io.staticlet.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What {@code /proc} says about a process and the machine. */
final class ProcStats {
  private ProcStats() {}

  /** utime + stime of the process, in clock ticks ({@code /proc/<pid>/stat} fields 14 and 15). */
  static long cpuTicks(long pid) {
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    // the command name (field 2) is in parentheses and may contain spaces: count fields after the
    // last ')'
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11])
        + Long.parseLong(f[12]); // fields 14, 15 counted from 1 with pid and comm
  }

  /** VmRSS of the process in kB ({@code /proc/<pid>/status}). */
  static long rssKb(long pid) {
    for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for pid " + pid);
  }

  /** {@code getconf CLK_TCK}. */
  static long clockTicksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor();
      return Long.parseLong(out);
    } catch (IOException | NumberFormatException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }

  /** The first line of {@code /proc/loadavg}, e.g. {@code "3.10 2.95 2.40"}. */
  static String loadAverage() {
    String[] f = read(Path.of("/proc/loadavg")).trim().split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }

  /** Busy and total jiffies of all CPUs together ({@code /proc/stat} line "cpu"). */
  static CpuTimes machineCpu() {
    String[] f = read(Path.of("/proc/stat")).split("\n")[0].trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < f.length && i <= 8; i++) {
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
    return new CpuTimes(total - idle, total);
  }

  /** Jiffies of all CPUs: busy (not idle or iowait) and total. */
  record CpuTimes(long busy, long total) {
    /** The busy fraction between an earlier reading and this one, in percent of all CPUs. */
    double busyPercentSince(CpuTimes earlier) {
      long dt = total - earlier.total;
      return dt <= 0 ? 0 : 100.0 * (busy - earlier.busy) / dt;
    }
  }

  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  static String cpuModel() {
    for (String line : read(Path.of("/proc/cpuinfo")).split("\n")) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return "unknown";
  }

  static long memTotalMb() {
    for (String line : read(Path.of("/proc/meminfo")).split("\n")) {
      if (line.startsWith("MemTotal:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return 0;
  }

  static String kernel() {
    return read(Path.of("/proc/sys/kernel/osrelease")).trim();
  }

  private static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
