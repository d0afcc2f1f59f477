package org.csp.edge.bench;

import org.csp.edge.support.MosquittoProcess;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Set;

/**
 * CPU and heap during a step. The node, the load generator and the subscriber share this JVM and Mosquitto is a
 * process of its own, all on the same cores, so the JVM's CPU load is split: the generator's event-loop threads are
 * timed apart (thread CPU time) and the rest of the JVM is the node's (its GC included, though some of that garbage is
 * the generator's). Percentages are of the whole machine (all cores = 100 %). The kernel's share and the voluntary
 * context switches are read per thread from /proc ({@link ThreadTimes}): the JVM's threads less the generator's,
 * and the broker's.
 */
final class ResourceSampler {
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final int cores = Runtime.getRuntime().availableProcessors();
  private final List<Long> generatorThreads;
  private final Set<Integer> generatorKernelThreads;
  private final MosquittoProcess broker;

  private long startNanos;
  private long generatorCpuStart;
  private double loadSum;
  private int loadSamples;
  private long heapMax;
  private ThreadTimes hopThreadsStart;
  private ThreadTimes brokerThreadsStart;

  ResourceSampler(List<Long> generatorThreads, Set<Integer> generatorKernelThreads, MosquittoProcess broker) {
    this.generatorThreads = List.copyOf(generatorThreads);
    this.generatorKernelThreads = Set.copyOf(generatorKernelThreads);
    this.broker = broker;
  }

  void begin() {
    os.getProcessCpuLoad(); // the first reading covers the time since the previous call: discard it
    startNanos = System.nanoTime();
    generatorCpuStart = generatorCpuNanos();
    hopThreadsStart = ThreadTimes.ofThisProcess(generatorKernelThreads);
    brokerThreadsStart = brokerThreadTimes();
    loadSum = 0;
    loadSamples = 0;
    heapMax = 0;
  }

  /** Called every few hundred milliseconds while the step runs. */
  void sample() {
    double load = os.getProcessCpuLoad();
    if (load >= 0) {
      loadSum += load;
      loadSamples++;
    }
    heapMax = Math.max(heapMax, memory.getHeapMemoryUsage().getUsed());
  }

  ResourceUse end() {
    sample();
    double wallSeconds = (System.nanoTime() - startNanos) / 1e9;
    double machineSeconds = wallSeconds * cores;
    double generator = (generatorCpuNanos() - generatorCpuStart) / 1e9 / machineSeconds * 100;
    // The broker's /proc read once per step boundary, for both its CPU and its switches.
    ThreadTimes brokerThreads = brokerThreadTimes();
    double brokerCpu = brokerThreads.cpuSecondsSince(brokerThreadsStart) / machineSeconds * 100;
    double jvm = loadSamples == 0 ? Double.NaN : loadSum / loadSamples * 100;
    long heapEnd = memory.getHeapMemoryUsage().getUsed();
    ThreadTimes hopThreads = ThreadTimes.ofThisProcess(generatorKernelThreads);
    long switches = hopThreads.voluntarySwitchesSince(hopThreadsStart)
        + brokerThreads.voluntarySwitchesSince(brokerThreadsStart);
    return new ResourceUse(jvm, generator, brokerCpu, hopThreads.kernelShareSince(hopThreadsStart),
        hopThreads.gcShareSince(hopThreadsStart), switches / wallSeconds, cores, heapMax / 1048576.0, heapEnd / 1048576.0);
  }

  private long generatorCpuNanos() {
    long sum = 0;
    for (long id : generatorThreads) {
      long t = threads.getThreadCpuTime(id);
      if (t > 0) sum += t;
    }
    return sum;
  }

  /** The broker's CPU time (user and system) and voluntary context switches; zeros while it is not running. */
  private ThreadTimes brokerThreadTimes() {
    long pid = broker.pid();
    return pid < 0 ? ThreadTimes.NONE : ThreadTimes.of(pid, Set.of());
  }
}
