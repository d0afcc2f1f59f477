package org.csp.edge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ThreadTimesTest {

  @BeforeEach
  void linuxOnly() {
    assertTrue(Files.isDirectory(Path.of("/proc/self/task")), "ThreadTimes reads /proc/self/task: the project runs on Linux only");
  }

  @Test
  void userTimeGrowsWithWorkAndTheKernelShareIsAFraction() throws Exception {
    // This thread alone: a thread of an earlier test that ends in between takes its ticks out of a whole-process sum.
    int self = ThreadTimes.currentThreadId();
    Set<Integer> others = everyThreadBut(id -> id == self);
    ThreadTimes before = ThreadTimes.ofThisProcess(others);
    spin(300);
    ThreadTimes after = ThreadTimes.ofThisProcess(others);
    assertTrue(after.userTicks() > before.userTicks(), "300 ms of arithmetic shows as user time");
    double share = after.kernelShareSince(before);
    assertTrue(share >= 0 && share < 1, "the kernel's share is a fraction below 1 for arithmetic: " + share);
  }

  @Test
  void aThreadLeftOutIsNotCounted() throws Exception {
    try (MeasuredThread spinner = new MeasuredThread("spinner", () -> spin(400))) {
      assertTrue(spinner.id > 0, "a kernel thread id");
      assertNotEquals(ThreadTimes.currentThreadId(), spinner.id, "each thread has its own");

      ThreadTimes allBefore = ThreadTimes.ofThisProcess(Set.of());
      ThreadTimes othersBefore = ThreadTimes.ofThisProcess(Set.of(spinner.id));
      spinner.runWork();
      ThreadTimes all = ThreadTimes.ofThisProcess(Set.of());
      ThreadTimes others = ThreadTimes.ofThisProcess(Set.of(spinner.id));
      long withSpinner = all.userTicks() + all.kernelTicks() - allBefore.userTicks() - allBefore.kernelTicks();
      long without = others.userTicks() + others.kernelTicks() - othersBefore.userTicks() - othersBefore.kernelTicks();
      // 400 ms of the spinner's CPU is 40 ticks at Linux's usual 100 per second; at least half of them are its own.
      assertTrue(withSpinner - without >= 20, "the spinner's time is left out: " + withSpinner + " vs " + without + " ticks");
    }
  }

  @Test
  void theCollectorsThreadsAreSummedApart() throws Exception {
    // This thread and the collector's: their sum cannot shrink when other threads end in between.
    int self = ThreadTimes.currentThreadId();
    Set<Integer> others = everyThreadBut(id -> id == self || ThreadTimes.isCollector(threadName(id)));
    ThreadTimes before = ThreadTimes.ofThisProcess(others);
    // Garbage that survives a young collection or two, so that the collector's threads have work to do.
    List<byte[]> kept = new ArrayList<>();
    long until = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < until) {
      kept.add(new byte[256]);
      if (kept.size() > 200_000) kept.clear();
    }
    System.gc();
    ThreadTimes after = ThreadTimes.ofThisProcess(others);
    assertTrue(after.gcTicks() > before.gcTicks(), "a second of allocation and a full collection show as GC time");
    double share = after.gcShareSince(before);
    assertTrue(share > 0 && share < 1, "the collector's share is a fraction: " + share + " (" + kept.size() + ")");
  }

  @Test
  void sleepingAndWakingCountsAsVoluntarySwitches() throws Exception {
    try (MeasuredThread sleeper = new MeasuredThread("sleeper", () -> {
      for (int i = 0; i < 50; i++) LockSupport.parkNanos(1_000_000);
    })) {
      // Every other thread left out, so that what is counted is the sleeper's alone.
      Set<Integer> others = everyThreadBut(id -> id == sleeper.id);
      ThreadTimes before = ThreadTimes.ofThisProcess(others);
      sleeper.runWork();
      ThreadTimes after = ThreadTimes.ofThisProcess(others);
      long switches = after.voluntarySwitchesSince(before);
      assertTrue(switches >= 50, "50 sleeps are at least 50 switches of the sleeper: " + switches);
      assertEquals(0, ThreadTimes.NONE.voluntarySwitchesSince(after), "never negative");
    }
  }

  /**
   * A thread whose kernel id is known before it does anything, that does its work when told and then stays alive
   * until closed, so that its time and switches are still the process's when they are read.
   */
  private static final class MeasuredThread implements AutoCloseable {
    final int id;
    private final CountDownLatch go = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private final CountDownLatch measured = new CountDownLatch(1);
    private final Thread thread;

    MeasuredThread(String name, Runnable work) throws Exception {
      CompletableFuture<Integer> kernelId = new CompletableFuture<>();
      thread = new Thread(() -> {
        kernelId.complete(ThreadTimes.currentThreadId());
        try {
          go.await();
          work.run();
          done.countDown();
          measured.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, name);
      thread.start();
      id = kernelId.get(10, TimeUnit.SECONDS);
    }

    /** Lets the work run and waits until it is done. */
    void runWork() throws InterruptedException {
      go.countDown();
      assertTrue(done.await(10, TimeUnit.SECONDS), thread.getName() + " did its work");
    }

    @Override
    public void close() throws InterruptedException {
      measured.countDown();
      thread.join(10_000);
    }
  }

  /** The kernel ids of this process's threads now, except those {@code kept}: to leave out of a reading. */
  private static Set<Integer> everyThreadBut(IntPredicate kept) throws IOException {
    Set<Integer> others = new HashSet<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      tasks.mapToInt(t -> Integer.parseInt(t.getFileName().toString())).filter(id -> !kept.test(id)).forEach(others::add);
    }
    return others;
  }

  /** A thread's name as the kernel has it; empty once it has ended. */
  private static String threadName(int id) {
    try {
      return Files.readAllLines(Path.of("/proc/self/task", Integer.toString(id), "comm")).get(0).strip();
    } catch (IOException | IndexOutOfBoundsException e) {
      return "";
    }
  }

  /** Spins until this thread has used {@code millis} of CPU time (not wall time: the machine may be busy). */
  private static void spin(long millis) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sink = 0;
    long until = threads.getCurrentThreadCpuTime() + millis * 1_000_000L;
    while (threads.getCurrentThreadCpuTime() < until) {
      for (int i = 0; i < 10_000; i++) sink += Long.numberOfTrailingZeros(sink + i);
    }
    if (sink == 42) System.out.print("");
  }
}
