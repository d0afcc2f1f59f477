package org.csp.edge.bench;

import io.vertx.core.buffer.Buffer;

/** How a subscriber reads what arrives: the node's events or the bare hop's alerts. Called on the subscriber's context. */
interface FeedReading {

  void read(Buffer payload, long arrivalMicros);

  FeedCounts counts();

  /** End-to-end latencies recorded since the last call. */
  LatencySamples takeLatencies();
}
