package org.csp.edge.bench;

import io.vertx.core.json.JsonObject;

/**
 * The wire format's equation over a whole scenario: {@code sum(count of upstream events, once per eventId) + duplicates
 * + rejected = alerts sent}. Checked after the node's graceful stop, when open summaries and groups have gone up.
 *
 * @param unconfirmed alerts sent whose PUBACK never came: the node may or may not have counted them, so the equation
 *                    cannot be said to hold while there are any
 */
record Accounting(long upstreamCountSum, long duplicates, long rejected, long alertsSent, long unconfirmed) {

  boolean holds() {
    return unconfirmed == 0 && upstreamCountSum + duplicates + rejected == alertsSent;
  }

  String text() {
    return upstreamCountSum + " + " + duplicates + " + " + rejected + " = " + (upstreamCountSum + duplicates + rejected)
        + (holds() ? " = " : " != ") + alertsSent + " sent" + (unconfirmed > 0 ? " (" + unconfirmed + " unconfirmed)" : "");
  }

  JsonObject toJson() {
    return new JsonObject().put("upstreamCountSum", upstreamCountSum).put("duplicates", duplicates)
        .put("rejected", rejected).put("alertsSent", alertsSent).put("unconfirmed", unconfirmed)
        .put("holds", holds());
  }
}
