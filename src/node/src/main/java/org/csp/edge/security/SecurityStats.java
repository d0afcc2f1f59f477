package org.csp.edge.security;

import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of the security layer, by intake: refusals by {@link Refusal}, connections the node dropped by {@link Drop},
 * logins accepted by method, and open connections. Lock-free; read by the metrics and the status API. Never a
 * client id, a user name or anything secret: only bounded enums.
 */
public final class SecurityStats {
  public enum LoginMethod { PASSWORD, CERTIFICATE, ANONYMOUS }

  private final Map<Intake, Map<Refusal, LongAdder>> refused = new EnumMap<>(Intake.class);
  private final Map<Intake, Map<Drop, LongAdder>> dropped = new EnumMap<>(Intake.class);
  private final Map<LoginMethod, LongAdder> logins = new EnumMap<>(LoginMethod.class);
  private final Map<Intake, AtomicInteger> open = new EnumMap<>(Intake.class);

  public SecurityStats() {
    for (Intake i : Intake.values()) {
      Map<Refusal, LongAdder> r = new EnumMap<>(Refusal.class);
      for (Refusal x : Refusal.values()) r.put(x, new LongAdder());
      refused.put(i, r);
      Map<Drop, LongAdder> d = new EnumMap<>(Drop.class);
      for (Drop x : Drop.values()) d.put(x, new LongAdder());
      dropped.put(i, d);
      open.put(i, new AtomicInteger());
    }
    for (LoginMethod m : LoginMethod.values()) logins.put(m, new LongAdder());
  }

  public void refused(Intake intake, Refusal reason) {
    refused.get(intake).get(reason).increment();
  }

  public long refusedCount(Intake intake, Refusal reason) {
    return refused.get(intake).get(reason).sum();
  }

  public void dropped(Intake intake, Drop reason) {
    dropped.get(intake).get(reason).increment();
  }

  public long droppedCount(Intake intake, Drop reason) {
    return dropped.get(intake).get(reason).sum();
  }

  public void loggedIn(LoginMethod method) {
    logins.get(method).increment();
  }

  public long logins(LoginMethod method) {
    return logins.get(method).sum();
  }

  /** The open-connection counter of an intake, shared by every server instance of it. */
  public AtomicInteger open(Intake intake) {
    return open.get(intake);
  }

  /** For the status API: non-zero counts only, and the open connections. */
  public JsonObject toJson() {
    JsonObject out = new JsonObject();
    for (Intake i : Intake.values()) {
      JsonObject r = new JsonObject();
      refused.get(i).forEach((k, v) -> {
        if (v.sum() > 0) r.put(k.wireName(), v.sum());
      });
      JsonObject d = new JsonObject();
      dropped.get(i).forEach((k, v) -> {
        if (v.sum() > 0) d.put(k.wireName(), v.sum());
      });
      out.put(i.label(), new JsonObject().put("connections", open.get(i).get()).put("refused", r).put("dropped", d));
    }
    JsonObject l = new JsonObject();
    logins.forEach((k, v) -> l.put(k.name().toLowerCase(), v.sum()));
    out.getJsonObject(Intake.MQTT.label()).put("logins", l);
    return out;
  }
}
