package org.csp.edge.bench;

import io.vertx.core.json.JsonObject;

/**
 * CPU (percent of the machine) and heap (MiB) during one step.
 *
 * @param jvmCpu       the JVM's process CPU load, sampled: node, load generator and subscriber together
 * @param generatorCpu the load generator's and subscriber's event loops
 * @param mosquittoCpu the broker process
 */
record ResourceUse(double jvmCpu, double generatorCpu, double mosquittoCpu, double heapMaxMb, double heapEndMb) {

  /** The JVM minus the load generator: the node's share (only meaningful while the node is what is measured). */
  double nodeCpu() {
    return Math.max(0, jvmCpu - generatorCpu);
  }

  JsonObject toJson(boolean withNode) {
    JsonObject cpu = new JsonObject().put("jvm", Numbers.round1(jvmCpu)).put("generator", Numbers.round1(generatorCpu))
        .put("mosquitto", Numbers.round1(mosquittoCpu));
    if (withNode) cpu.put("node", Numbers.round1(nodeCpu()));
    return new JsonObject().put("cpuPercentOfMachine", cpu)
        .put("heapUsedMb", new JsonObject().put("max", Math.round(heapMaxMb)).put("end", Math.round(heapEndMb)));
  }
}
