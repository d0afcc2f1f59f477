package org.csp.edge.decision;

/** Where the node reads the time (arrival time): the system clock in production, a hand-moved one in tests. */
@FunctionalInterface
public interface NodeClock {
  NodeClock SYSTEM = System::currentTimeMillis;

  long millis();
}
