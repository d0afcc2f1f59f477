package org.csp.edge.support;

import java.util.ArrayList;
import java.util.List;

/**
 * Free ports for tests: {@link FreePort}'s (below the kernel's ephemeral range, each handed out once per JVM), and a
 * scan of a fixed range (Hazelcast's member ports).
 */
public final class FreePorts {
  private FreePorts() {}

  public static int next() {
    return FreePort.next();
  }

  /**
   * The ports of {@code from..to} (inclusive) that can be bound now, on every address and without SO_REUSEADDR:
   * the way Hazelcast binds its member port, so a port still in TIME_WAIT counts as taken, as it does for it.
   */
  public static List<Integer> freeIn(int from, int to) {
    List<Integer> free = new ArrayList<>();
    for (int port = from; port <= to; port++) {
      if (FreePort.bindable(port)) free.add(port);
    }
    return free;
  }

  /** The first of {@code count} consecutive ports that are all free now (for launchers that number ports from a base). */
  public static int block(int count) {
    return FreePort.block(count);
  }
}
