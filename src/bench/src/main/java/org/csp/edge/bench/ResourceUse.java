package org.csp.edge.bench;

import io.vertx.core.json.JsonObject;

/**
 * CPU (percent of the machine) and heap (MiB) during one step.
 *
 * @param jvmCpu       the JVM's process CPU load, sampled: node, load generator and subscriber together
 * @param generatorCpu the load generator's and subscriber's event loops
 * @param mosquittoCpu the broker process
 * @param hopKernelShare the share of the CPU time of the JVM's threads other than the generator's (the node's or
 *                     the relay's) spent in the kernel (system calls, wake-ups), 0 to 1
 * @param hopGcShare   the share of the same threads' CPU time that went to the garbage collector's threads (the
 *                     generator's garbage included: it shares the heap), 0 to 1
 * @param hopSwitchesPerSecond voluntary context switches per second of those threads and the broker's: each is a
 *                     thread that ran out of work and is woken again later
 * @param cores        the machine's cores (100 % of the machine is this many cores)
 */
record ResourceUse(double jvmCpu, double generatorCpu, double mosquittoCpu, double hopKernelShare,
    double hopGcShare, double hopSwitchesPerSecond, int cores, double heapMaxMb, double heapEndMb) {

  /** The JVM minus the load generator: the node's share (only meaningful while the node is what is measured). */
  double nodeCpu() {
    return Math.max(0, jvmCpu - generatorCpu);
  }

  /**
   * CPU time per alert of the whole hop, in microseconds: the JVM less the load generator (the node or the relay;
   * next to nothing for the bare hop) plus the broker, at {@code alertsPerSecond}. At the same offered rate this
   * compares what each hop costs the machine, which the maximum rates only show once the machine is full.
   */
  double hopMicrosPerAlert(double alertsPerSecond) {
    return alertsPerSecond > 0 ? (nodeCpu() + mosquittoCpu) / 100 * cores * 1e6 / alertsPerSecond : Double.NaN;
  }

  /** Voluntary context switches of the hop's threads and the broker per alert, at {@code alertsPerSecond}. */
  double hopSwitchesPerAlert(double alertsPerSecond) {
    return alertsPerSecond > 0 ? hopSwitchesPerSecond / alertsPerSecond : Double.NaN;
  }

  JsonObject toJson(boolean withNode) {
    JsonObject cpu = new JsonObject().put("jvm", Numbers.round1(jvmCpu)).put("generator", Numbers.round1(generatorCpu))
        .put("mosquitto", Numbers.round1(mosquittoCpu)).put("hopThreadsKernelShare", Numbers.round3(hopKernelShare))
        .put("hopThreadsGcShare", Numbers.round3(hopGcShare));
    if (withNode) cpu.put("node", Numbers.round1(nodeCpu()));
    return new JsonObject().put("cpuPercentOfMachine", cpu)
        .put("heapUsedMb", new JsonObject().put("max", Math.round(heapMaxMb)).put("end", Math.round(heapEndMb)));
  }
}
