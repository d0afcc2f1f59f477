package org.csp.edge.alert;

import io.vertx.core.json.JsonObject;
import java.io.Serializable;

/**
 * One valid southbound alert. Identifiers are already normalised to upper case.
 *
 * @param originatorCounter the header counter as an unsigned 64-bit value (use {@link Long#toUnsignedString})
 * @param raisedAt the device's timestamp as it was sent (validated ISO-8601 instant)
 * @param raisedAtMillis the same instant, for period bounds
 */
public record Alert(
    String hubId,
    String deviceId,
    String deviceType,
    String alertCode,
    long originatorCounter,
    String raisedAt,
    long raisedAtMillis,
    Dmc dmc,
    String payload)
    implements Serializable {

  /** The alert's fields as they go upstream in an {@code alert} event. */
  public void writeTo(JsonObject event) {
    event.put("hubId", hubId).put("deviceId", deviceId);
    if (deviceType != null) event.put("deviceType", deviceType);
    event
        .put("alertCode", alertCode)
        // Above Long.MAX_VALUE a Java long is negative: go through BigInteger so the JSON number is unsigned.
        .put("originatorCounter", originatorCounter >= 0
            ? (Object) originatorCounter
            : new java.math.BigInteger(Long.toUnsignedString(originatorCounter)))
        .put("raisedAt", raisedAt);
    if (dmc != null) event.put("dmc", dmc.toJson());
    if (payload != null) event.put("payload", payload);
  }
}
