package org.csp.edge.bench;

import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;

/** Where the figures were measured: they mean little without the cores, the JVM and the heap they had. */
final class Machine {
  private Machine() {}

  static JsonObject describe() {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new JsonObject()
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("memoryMb", os.getTotalMemorySize() / 1048576)
        .put("maxHeapMb", Runtime.getRuntime().maxMemory() / 1048576)
        .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"))
        .put("jvmArguments", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
  }

  static String line(JsonObject m) {
    return m.getInteger("cores") + " cores, " + m.getLong("memoryMb") / 1024 + " GiB RAM, max heap "
        + m.getLong("maxHeapMb") + " MiB, " + m.getString("java") + ", " + m.getString("os");
  }
}
