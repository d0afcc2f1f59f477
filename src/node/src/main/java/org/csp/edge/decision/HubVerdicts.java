package org.csp.edge.decision;

/**
 * What the receiving node learns from one operation on a hub's state: a verdict per alert, in the batch's order.
 * Deliberately small (it crosses the network for every remote hub, as the byte array {@code cluster.DecideAlertsOperation} returns):
 * the events the decision raised stay with the hub's owner, which publishes them.
 */
public record HubVerdicts(byte[] verdicts) {

  public Verdict verdict(int i) {
    return Verdict.of(verdicts[i]);
  }

  public int size() {
    return verdicts.length;
  }
}
