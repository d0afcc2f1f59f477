package org.csp.edge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * This JVM's CPU time split into user and kernel, in clock ticks, from {@code /proc/self/stat} (Linux only; zeros
 * elsewhere). Only the ratio of the two is used, so the tick length does not matter. A hop whose CPU goes mostly to
 * the kernel is paying for system calls and thread wake-ups, not for its own code.
 */
record ProcessCpuTimes(long userTicks, long kernelTicks) {
  private static final Path STAT = Path.of("/proc/self/stat");
  /** utime and stime: fields 14 and 15 of the line, counted after the command name's closing parenthesis. */
  private static final int USER_AFTER_NAME = 11;
  private static final int KERNEL_AFTER_NAME = 12;

  static ProcessCpuTimes now() {
    try {
      List<String> lines = Files.readAllLines(STAT); // not readString: /proc files report a size of 0
      if (lines.isEmpty()) return new ProcessCpuTimes(0, 0);
      String line = lines.get(0);
      String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
      return new ProcessCpuTimes(Long.parseLong(fields[USER_AFTER_NAME]), Long.parseLong(fields[KERNEL_AFTER_NAME]));
    } catch (IOException | RuntimeException e) {
      return new ProcessCpuTimes(0, 0);
    }
  }

  /** The kernel's share of the CPU time used since {@code earlier}, 0 to 1; NaN when nothing was measured. */
  double kernelShareSince(ProcessCpuTimes earlier) {
    long user = userTicks - earlier.userTicks;
    long kernel = kernelTicks - earlier.kernelTicks;
    return user + kernel > 0 ? (double) kernel / (user + kernel) : Double.NaN;
  }
}
