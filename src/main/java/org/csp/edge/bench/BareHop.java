package org.csp.edge.bench;

/** The baseline: the same publishers straight to Mosquitto (topics under {@code bare/}), the subscriber on {@code bare/#}. */
final class BareHop implements Hop {
  static final String TOPIC_PREFIX = "bare/";

  @Override
  public String label() {
    return "bare hop";
  }

  @Override
  public long backlog(FeedCounts feed, PublisherTotals publishers) {
    return Math.max(0, publishers.messagesAcked() - feed.messages());
  }
}
