package org.csp.edge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ThreadTimesTest {

  @BeforeEach
  void linuxOnly() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux only");
  }

  @Test
  void userTimeGrowsWithWorkAndTheKernelShareIsAFraction() {
    ThreadTimes before = ThreadTimes.ofThisProcess(Set.of());
    spin(300);
    ThreadTimes after = ThreadTimes.ofThisProcess(Set.of());
    assertTrue(after.userTicks() > before.userTicks(), "300 ms of arithmetic shows as user time");
    double share = after.kernelShareSince(before);
    assertTrue(share >= 0 && share < 1, "the kernel's share is a fraction below 1 for arithmetic: " + share);
  }

  @Test
  void aThreadLeftOutIsNotCounted() throws Exception {
    CompletableFuture<Integer> id = new CompletableFuture<>();
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch spun = new CountDownLatch(1);
    CountDownLatch measured = new CountDownLatch(1);
    Thread spinner = new Thread(() -> {
      id.complete(ThreadTimes.currentThreadId());
      try {
        go.await();
        spin(400);
        spun.countDown();
        measured.await(); // alive until read, so that its time is still the process's
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "spinner");
    spinner.start();
    int spinnerId = id.get(10, TimeUnit.SECONDS);
    assertTrue(spinnerId > 0, "a kernel thread id");
    assertNotEquals(ThreadTimes.currentThreadId(), spinnerId, "each thread has its own");

    ThreadTimes allBefore = ThreadTimes.ofThisProcess(Set.of());
    ThreadTimes othersBefore = ThreadTimes.ofThisProcess(Set.of(spinnerId));
    go.countDown();
    assertTrue(spun.await(10, TimeUnit.SECONDS));
    ThreadTimes all = ThreadTimes.ofThisProcess(Set.of());
    ThreadTimes others = ThreadTimes.ofThisProcess(Set.of(spinnerId));
    measured.countDown();
    spinner.join(10_000);
    long withSpinner = all.userTicks() + all.kernelTicks() - allBefore.userTicks() - allBefore.kernelTicks();
    long without = others.userTicks() + others.kernelTicks() - othersBefore.userTicks() - othersBefore.kernelTicks();
    // 400 ms of the spinner's CPU is 40 ticks at Linux's usual 100 per second; at least half of them are its own.
    assertTrue(withSpinner - without >= 20, "the spinner's time is left out: " + withSpinner + " vs " + without + " ticks");
  }

  @Test
  void theCollectorsThreadsAreSummedApart() {
    ThreadTimes before = ThreadTimes.ofThisProcess(Set.of());
    // Garbage that survives a young collection or two, so that the collector's threads have work to do.
    java.util.List<byte[]> kept = new java.util.ArrayList<>();
    long until = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < until) {
      kept.add(new byte[256]);
      if (kept.size() > 200_000) kept.clear();
    }
    System.gc();
    ThreadTimes after = ThreadTimes.ofThisProcess(Set.of());
    assertTrue(after.gcTicks() > before.gcTicks(), "a second of allocation and a full collection show as GC time");
    double share = after.gcShareSince(before);
    assertTrue(share > 0 && share < 1, "the collector's share is a fraction: " + share + " (" + kept.size() + ")");
  }

  @Test
  void sleepingAndWakingCountsAsVoluntarySwitches() throws Exception {
    CompletableFuture<Integer> id = new CompletableFuture<>();
    CountDownLatch done = new CountDownLatch(1);
    CountDownLatch measured = new CountDownLatch(1);
    CountDownLatch go = new CountDownLatch(1);
    Thread sleeper = new Thread(() -> {
      id.complete(ThreadTimes.currentThreadId());
      try {
        go.await();
        for (int i = 0; i < 50; i++) Thread.sleep(1);
        done.countDown();
        measured.await(); // alive until read, so that its count is still the process's
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "sleeper");
    sleeper.start();
    int sleeperId = id.get(10, TimeUnit.SECONDS);
    // Every other thread left out, so that what is counted is the sleeper's alone.
    Set<Integer> others = new java.util.HashSet<>();
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      tasks.map(t -> Integer.parseInt(t.getFileName().toString())).filter(t -> t != sleeperId).forEach(others::add);
    }
    ThreadTimes before = ThreadTimes.ofThisProcess(others);
    go.countDown();
    assertTrue(done.await(10, TimeUnit.SECONDS));
    ThreadTimes after = ThreadTimes.ofThisProcess(others);
    measured.countDown();
    sleeper.join(10_000);
    long switches = after.voluntarySwitchesSince(before);
    assertTrue(switches >= 50, "50 sleeps are at least 50 switches of the sleeper: " + switches);
    assertEquals(0, ThreadTimes.NONE.voluntarySwitchesSince(after), "never negative");
  }

  /** Spins until this thread has used {@code millis} of CPU time (not wall time: the machine may be busy). */
  private static void spin(long millis) {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long sink = 0;
    long until = threads.getCurrentThreadCpuTime() + millis * 1_000_000L;
    while (threads.getCurrentThreadCpuTime() < until) {
      for (int i = 0; i < 10_000; i++) sink += Long.numberOfTrailingZeros(sink + i);
    }
    if (sink == 42) System.out.print("");
  }
}
