package org.csp.edge.bench;

/**
 * An endless source of southbound messages of one shape. Several publisher connections draw from the same stream at
 * once (a single-hub storm must reach the node on every connection), so implementations are thread-safe: they take
 * their position from an atomic sequence and derive everything else from it.
 */
interface MessageStream {

  /** The next message, its {@code raisedAt} set to {@code nowMicros}: it is made at the moment it is published. */
  BenchMessage next(long nowMicros);
}
