package org.csp.edge.policy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One version of the policy: the whole document in force from it on, who made it, when and why. Version 1 is the
 * configuration file's policy (the base); each change through the API or a rollback makes the next one, and so may
 * a changed configuration file ({@link Origin#FILE}, see {@link PolicyVersions}). Kept as JSON text everywhere (the
 * cluster's map, each member's file), so that a document may gain settings without any serializer changing.
 */
public record PolicyVersion(int version, Instant changedAt, String changedBy, String comment, Origin origin,
    JsonObject document) {

  /** Where a version's document came from. */
  public enum Origin {
    FILE("file"), API("api");

    private final String wireName;

    Origin(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    static Origin of(String wireName) {
      for (Origin o : values()) if (o.wireName.equals(wireName)) return o;
      throw new IllegalArgumentException("not a policy origin: " + wireName);
    }
  }

  public JsonObject toJson() {
    return new JsonObject().put("version", version).put("changedAt", changedAt.toString()).put("changedBy", changedBy)
        .put("comment", comment).put("origin", origin.wireName()).put("policy", document.copy());
  }

  public static PolicyVersion fromJson(JsonObject json) {
    return new PolicyVersion(json.getInteger("version"), Instant.parse(json.getString("changedAt")),
        json.getString("changedBy"), json.getString("comment", ""), Origin.of(json.getString("origin")),
        json.getJsonObject("policy"));
  }

  public String encode() {
    return toJson().encode();
  }

  public static PolicyVersion decode(String text) {
    return fromJson(new JsonObject(text));
  }
}
