package org.csp.edge.alert;

import io.vertx.core.json.JsonObject;

/**
 * One refused input: its position in the message, the reason, and a detail a person can act on; {@code alerts} is
 * how many alerts it stands for: 1 for one element or a message refused for what it is (over a limit, not JSON: the
 * contract counts it once), every element of a message refused unread for its rate or the node's load (a full
 * outbox, too much undecided), so that the count of rejections matches what the client sent.
 */
public record Rejection(int index, RejectReason reason, String detail, int alerts) {
  public Rejection {
    if (alerts < 1) throw new IllegalArgumentException("a rejection stands for at least one alert, got " + alerts);
  }

  public Rejection(int index, RejectReason reason, String detail) {
    this(index, reason, detail, 1);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("index", index)
        .put("reason", reason.wireName())
        .put("detail", detail == null ? reason.explanation() : reason.explanation() + ": " + detail);
    return alerts == 1 ? json : json.put("alerts", alerts);
  }
}
