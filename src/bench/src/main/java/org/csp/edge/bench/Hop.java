package org.csp.edge.bench;

/**
 * What is being measured between the publishers and the subscriber: the node (with Mosquitto behind it) or a baseline
 * it is compared with ({@link PassThroughHop}). All are driven by the same steps; they differ in what counts as backlog.
 */
interface Hop {

  /** "node", "relay" or "bare hop", for progress lines and reports. */
  String label();

  /**
   * Messages taken in but not yet at the subscriber: for the node its outbox plus what the broker acknowledged and
   * the subscriber has not seen; for a baseline what it acknowledged and the subscriber has not seen.
   */
  long backlog(FeedCounts feed, PublisherTotals publishers);
}
