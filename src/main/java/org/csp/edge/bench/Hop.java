package org.csp.edge.bench;

/**
 * What is being measured between the publishers and the subscriber: the node (with Mosquitto behind it) or the bare
 * Mosquitto hop it is compared with. Both are driven by the same steps; they differ in what counts as backlog.
 */
interface Hop {

  /** "node" or "bare hop", for progress lines and reports. */
  String label();

  /**
   * Messages taken in but not yet at the subscriber: for the node its outbox plus what the broker acknowledged and
   * the subscriber has not seen; for the bare hop what the broker acknowledged and the subscriber has not seen.
   */
  long backlog(FeedCounts feed, PublisherTotals publishers);
}
