package org.csp.edge.alert;

import java.util.List;

/** What one southbound message turned into: the good alerts, and each refused input with its reason. */
public record ParsedMessage(List<Alert> alerts, List<Rejection> rejections) {
  public static ParsedMessage refusedWhole(RejectReason reason, String detail) {
    return new ParsedMessage(List.of(), List.of(new Rejection(0, reason, detail)));
  }
}
