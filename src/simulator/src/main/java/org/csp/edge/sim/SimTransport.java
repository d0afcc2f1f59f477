package org.csp.edge.sim;

import io.vertx.core.Future;

/**
 * The way messages reach the node. Implementations bound how many messages are in flight, and are used
 * from one Vert.x context only (the simulator's), so they need no locking.
 */
public interface SimTransport {

  /** Connects; fails with a message naming the target when the node cannot be reached. */
  Future<Void> start();

  /** Whether {@link #send} takes another message now (a free slot in a window, a live connection). */
  boolean ready();

  /**
   * Sends one message. The future completes (never fails) with its delivery once the node has answered
   * for it, which under back-pressure can take a long time.
   */
  Future<Delivery> send(SimMessage message);

  /** Called when {@link #ready()} may have become true other than by a send completing (a reconnection). */
  void readyHandler(Runnable handler);

  /** Messages sent and not yet answered for. */
  int inFlight();

  /** Where messages go, for the report. */
  String target();

  Future<Void> close();
}
