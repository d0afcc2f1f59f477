package org.csp.edge.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessCpuTimesTest {

  @Test
  void userTimeGrowsWithWorkAndTheKernelShareIsAFraction() {
    assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "Linux only");
    ProcessCpuTimes before = ProcessCpuTimes.now();
    long sink = 0;
    long until = System.nanoTime() + 300_000_000L;
    while (System.nanoTime() < until) sink += Long.numberOfTrailingZeros(sink + System.nanoTime());
    ProcessCpuTimes after = ProcessCpuTimes.now();
    assertTrue(after.userTicks() > before.userTicks(), "300 ms of arithmetic shows as user time (" + sink + ")");
    double share = after.kernelShareSince(before);
    assertTrue(share >= 0 && share < 1, "the kernel's share is a fraction below 1 for arithmetic: " + share);
  }
}
