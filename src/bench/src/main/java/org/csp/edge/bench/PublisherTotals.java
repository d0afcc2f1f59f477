package org.csp.edge.bench;

/** Everything a hop's publishers sent and had acknowledged, and the first problem seen, if any. */
record PublisherTotals(long messagesSent, long alertsSent, long messagesAcked, long alertsAcked, long alertsFailed,
    String problem) {

  PublisherTotals plus(PublisherTotals o) {
    return new PublisherTotals(messagesSent + o.messagesSent, alertsSent + o.alertsSent, messagesAcked + o.messagesAcked,
        alertsAcked + o.alertsAcked, alertsFailed + o.alertsFailed, problem != null ? problem : o.problem);
  }

  /** Sent but neither acknowledged nor failed: the server may or may not have taken them. */
  long alertsUnconfirmed() {
    return alertsSent - alertsAcked - alertsFailed;
  }
}
