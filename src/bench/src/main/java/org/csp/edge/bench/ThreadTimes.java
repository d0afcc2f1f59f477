package org.csp.edge.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * CPU time (user and kernel, in clock ticks) and voluntary context switches of a process's threads, summed, from
 * {@code /proc/PID/task/TID/stat} and {@code status} (Linux only; zeros elsewhere). Threads can be left out by
 * their kernel id: the bench leaves out its load generator's, so that what remains of its own JVM is the hop under
 * measurement. A voluntary switch is a thread going to sleep for want of work, so each one is later paid for by a
 * wake-up: a hop whose CPU goes to the kernel and which switches several times per alert pays for handing alerts
 * between threads, not for its own code (src/bench/results/2026-11-23-bench8.md and bench9.md). The garbage
 * collector's threads are also summed apart (by their names), so that collecting garbage, which in the bench's JVM
 * is also the generator's, can be told apart from the hop's own work.
 */
record ThreadTimes(long userTicks, long kernelTicks, long voluntarySwitches, long gcTicks) {
  static final ThreadTimes NONE = new ThreadTimes(0, 0, 0, 0);
  /** The JVM's names for its collector threads (G1's, and ZGC's and Shenandoah's when one of them is chosen). */
  private static final Pattern GC_THREAD = Pattern.compile("^(GC Thread|G1 |ZWorker|ZDirector|Shenandoah)");
  /** utime and stime: fields 14 and 15 of the line, counted after the command name's closing parenthesis. */
  private static final int USER_AFTER_NAME = 11;
  private static final int KERNEL_AFTER_NAME = 12;
  private static final String VOLUNTARY = "voluntary_ctxt_switches:";
  /** Linux's USER_HZ, the unit of the times in {@code stat}. */
  private static final double TICKS_PER_SECOND = 100;

  /** This JVM's threads, except those in {@code leftOut}. */
  static ThreadTimes ofThisProcess(Set<Integer> leftOut) {
    return of(ProcessHandle.current().pid(), leftOut);
  }

  /** Every thread of process {@code pid}, except those in {@code leftOut}; zeros when it cannot be read. */
  static ThreadTimes of(long pid, Set<Integer> leftOut) {
    long user = 0;
    long kernel = 0;
    long switches = 0;
    long gc = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        if (leftOut.contains(Integer.parseInt(task.getFileName().toString()))) continue;
        try {
          // readAllLines, not readString: /proc files report a size of 0.
          String stat = Files.readAllLines(task.resolve("stat")).get(0);
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long voluntary = voluntarySwitches(Files.readAllLines(task.resolve("status")));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          long threadUser = Long.parseLong(fields[USER_AFTER_NAME]);
          long threadKernel = Long.parseLong(fields[KERNEL_AFTER_NAME]);
          user += threadUser;
          kernel += threadKernel;
          switches += voluntary;
          if (isCollector(name)) gc += threadUser + threadKernel;
        } catch (IOException | RuntimeException threadEnded) {
          // The thread ended between the listing and the reading: its time is no longer the process's to count.
        }
      }
    } catch (IOException | RuntimeException e) {
      return NONE;
    }
    return new ThreadTimes(user, kernel, switches, gc);
  }

  /** Whether a thread of this name (its {@code comm}) is one of the JVM's garbage collector threads. */
  static boolean isCollector(String threadName) {
    return GC_THREAD.matcher(threadName).find();
  }

  /** The calling thread's kernel id ({@code /proc/thread-self} links to {@code PID/task/TID}); -1 off Linux. */
  static int currentThreadId() {
    try {
      return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long voluntarySwitches(List<String> status) {
    for (String line : status) {
      if (line.startsWith(VOLUNTARY)) return Long.parseLong(line.substring(VOLUNTARY.length()).trim());
    }
    return 0;
  }

  /** CPU seconds (user and kernel) used since {@code earlier}. */
  double cpuSecondsSince(ThreadTimes earlier) {
    return (userTicks + kernelTicks - earlier.userTicks - earlier.kernelTicks) / TICKS_PER_SECOND;
  }

  /** The kernel's share of the CPU time used since {@code earlier}, 0 to 1; NaN when nothing was measured. */
  double kernelShareSince(ThreadTimes earlier) {
    long user = userTicks - earlier.userTicks;
    long kernel = kernelTicks - earlier.kernelTicks;
    return user + kernel > 0 ? (double) kernel / (user + kernel) : Double.NaN;
  }

  /** The garbage collector's threads' share of the CPU time used since {@code earlier}, 0 to 1; NaN when none. */
  double gcShareSince(ThreadTimes earlier) {
    long all = userTicks + kernelTicks - earlier.userTicks - earlier.kernelTicks;
    return all > 0 ? (double) (gcTicks - earlier.gcTicks) / all : Double.NaN;
  }

  /**
   * Voluntary switches since {@code earlier}, never negative: threads that ended in between take their count with
   * them, which can only make this an undercount.
   */
  long voluntarySwitchesSince(ThreadTimes earlier) {
    return Math.max(0, voluntarySwitches - earlier.voluntarySwitches);
  }
}
