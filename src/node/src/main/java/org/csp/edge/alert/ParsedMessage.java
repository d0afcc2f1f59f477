package org.csp.edge.alert;

import java.util.List;

/** What one southbound message turned into: the good alerts, and each refused input with its reason. */
public record ParsedMessage(List<Alert> alerts, List<Rejection> rejections) {
  public static ParsedMessage refusedWhole(RejectReason reason, String detail) {
    return refusedWhole(reason, detail, 1);
  }

  /** Refused whole, standing for {@code alerts} alerts ({@link AlertParser#alertsIn}): none for an empty array. */
  public static ParsedMessage refusedWhole(RejectReason reason, String detail, int alerts) {
    if (alerts == 0) return new ParsedMessage(List.of(), List.of());
    return new ParsedMessage(List.of(), List.of(new Rejection(0, reason, detail, alerts)));
  }

  /** The alerts refused, each refusal counted for what it stands for. */
  public int rejectedAlerts() {
    int n = 0;
    for (Rejection r : rejections) n += r.alerts();
    return n;
  }

  /** Every alert the message held, as the node counts them: taken, and refused. */
  public int count() {
    return alerts.size() + rejectedAlerts();
  }
}
