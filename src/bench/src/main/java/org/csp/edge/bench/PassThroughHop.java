package org.csp.edge.bench;

import org.csp.edge.support.MosquittoProcess;

/**
 * A baseline hop that keeps nothing of its own: what it acknowledged to the publishers and the subscriber has not
 * seen is its whole backlog. Two of them run beside the node: the bare Mosquitto hop (the publishers straight to the
 * broker, topics under {@code bare/}) and the relay ({@link MqttRelay}, topics under {@code relay/}).
 */
record PassThroughHop(String label, String host, int port, String publishPrefix, String feedFilter) implements Hop {
  static final String BARE_PREFIX = "bare/";

  static PassThroughHop bare(MosquittoProcess broker) {
    return new PassThroughHop("bare hop", "127.0.0.1", broker.port(), BARE_PREFIX, BARE_PREFIX + "#");
  }

  /** The publishers send the node's own topics to the relay, which puts them under {@code relay/}. */
  static PassThroughHop relay(MqttRelay relay) {
    return new PassThroughHop("relay", "127.0.0.1", relay.port(), "", MqttRelay.TOPIC_PREFIX + "#");
  }

  @Override
  public long backlog(FeedCounts feed, PublisherTotals publishers) {
    return Math.max(0, publishers.messagesAcked() - feed.messages());
  }
}
