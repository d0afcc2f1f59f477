package org.csp.edge.alert;

import io.vertx.core.json.JsonObject;

/** One refused input: its position in the message, the reason, and a detail a person can act on. */
public record Rejection(int index, RejectReason reason, String detail) {
  public JsonObject toJson() {
    return new JsonObject()
        .put("index", index)
        .put("reason", reason.wireName())
        .put("detail", detail == null ? reason.explanation() : reason.explanation() + ": " + detail);
  }
}
