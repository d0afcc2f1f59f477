package org.csp.edge.silence;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.csp.edge.decision.Silence;

/**
 * A silence as the cluster keeps it: what the decisions need ({@link #toDecision}) plus who made it, why, and who
 * expired it when. Kept in the map {@link SilenceStore#MAP_NAME} as its JSON text (this class's {@link #toJson}),
 * so that it evolves as the API's JSON does and needs no serializer of its own.
 *
 * @param matchers by name ({@link SilenceRequest#MATCHERS}), each a {@code decision.Glob} pattern
 * @param expiredAt 0 until expired by hand ({@code DELETE /v1/silences/{id}})
 * @param firstHourChecked whether {@code matchedNothing} is settled (after {@code silences.unusedAfter})
 */
public record StoredSilence(
    String id,
    Map<String, String> matchers,
    long startsAt,
    long endsAt,
    String comment,
    String createdBy,
    long createdAt,
    String expiredBy,
    long expiredAt,
    boolean firstHourChecked,
    boolean matchedNothing) {

  public StoredSilence {
    matchers = new TreeMap<>(matchers);
  }

  /** When it stops holding: its end, or when it was expired if that came first. */
  public long effectiveEnd() {
    return expiredAt > 0 ? Math.min(endsAt, expiredAt) : endsAt;
  }

  public String status(long now) {
    if (now >= effectiveEnd()) return "expired";
    return now < startsAt ? "pending" : "active";
  }

  public StoredSilence expired(String by, long at) {
    return new StoredSilence(id, matchers, startsAt, endsAt, comment, createdBy, createdAt, by, at, firstHourChecked,
        matchedNothing);
  }

  public StoredSilence checked(boolean nothing) {
    return new StoredSilence(id, matchers, startsAt, endsAt, comment, createdBy, createdAt, expiredBy, expiredAt, true,
        nothing);
  }

  public Silence toDecision() {
    return new Silence(id, matchers.get("alertCode"), matchers.get("hubId"), matchers.get("deviceId"),
        matchers.get("dmc.manufacturer"), matchers.get("dmc.model"), matchers.get("dmc.firmware"), startsAt,
        effectiveEnd());
  }

  public JsonObject toJson() {
    JsonObject m = new JsonObject();
    matchers.forEach(m::put);
    JsonObject j = new JsonObject().put("id", id).put("matchers", m).put("startsAt", iso(startsAt))
        .put("endsAt", iso(endsAt)).put("comment", comment).put("createdBy", createdBy).put("createdAt", iso(createdAt));
    if (expiredAt > 0) j.put("expiredBy", expiredBy).put("expiredAt", iso(expiredAt));
    if (firstHourChecked) j.put("matchedNothingInFirstHour", matchedNothing);
    return j;
  }

  public static StoredSilence fromJson(JsonObject j) {
    Map<String, String> matchers = new TreeMap<>();
    j.getJsonObject("matchers", new JsonObject()).forEach(e -> matchers.put(e.getKey(), String.valueOf(e.getValue())));
    boolean checked = j.containsKey("matchedNothingInFirstHour");
    return new StoredSilence(j.getString("id"), matchers, millis(j.getString("startsAt")), millis(j.getString("endsAt")),
        j.getString("comment"), j.getString("createdBy"), millis(j.getString("createdAt")), j.getString("expiredBy"),
        j.containsKey("expiredAt") ? millis(j.getString("expiredAt")) : 0, checked,
        checked && j.getBoolean("matchedNothingInFirstHour"));
  }

  static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }

  private static long millis(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }
}
