package org.csp.edge.register;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.csp.edge.alert.Dmc;

/** What an admin said of an entry, when: kept as said, never edited. */
public record Annotation(String id, Dmc dmc, String alertCode, long at, String by, String text) {
  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("dmc", dmc.toJson()).put("alertCode", alertCode)
        .put("at", Instant.ofEpochMilli(at).toString()).put("by", by).put("text", text);
  }

  /** As an entry lists it. */
  public JsonObject toEntryJson() {
    return new JsonObject().put("at", Instant.ofEpochMilli(at).toString()).put("by", by).put("text", text);
  }

  public static Annotation fromJson(JsonObject j) {
    JsonObject d = j.getJsonObject("dmc");
    return new Annotation(j.getString("id"), new Dmc(d.getString("manufacturer"), d.getString("model"), d.getString("firmware")),
        j.getString("alertCode"), Instant.parse(j.getString("at")).toEpochMilli(), j.getString("by"), j.getString("text"));
  }

  /** The entry it belongs to. */
  public boolean of(Dmc d, String code) {
    return dmc.equals(d) && alertCode.equals(code);
  }
}
