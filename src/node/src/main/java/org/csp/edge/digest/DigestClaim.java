package org.csp.edge.digest;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A (recipient, period)'s entry in the cluster map {@code csp-digests}: {@code claimed} by the member that builds
 * the digest, then {@code published} once the broker acknowledged it. A plain JSON string: nothing to register with
 * the cluster's serializers, readable by any version.
 */
record DigestClaim(boolean published, UUID member, String eventId, long at) {

  static DigestClaim claimed(UUID member, String eventId, long at) {
    return new DigestClaim(false, member, eventId, at);
  }

  DigestClaim asPublished(long when) {
    return new DigestClaim(true, member, eventId, when);
  }

  String encode() {
    return new JsonObject().put("state", published ? "published" : "claimed").put("member", member.toString())
        .put("eventId", eventId).put("at", at).encode();
  }

  static DigestClaim decode(String s) {
    JsonObject o = new JsonObject(s);
    return new DigestClaim("published".equals(o.getString("state")), UUID.fromString(o.getString("member")),
        o.getString("eventId"), o.getLong("at"));
  }
}
