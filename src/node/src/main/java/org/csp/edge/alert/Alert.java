package org.csp.edge.alert;

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
    String payload) {}
