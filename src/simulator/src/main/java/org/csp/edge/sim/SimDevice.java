package org.csp.edge.sim;

import io.vertx.core.json.JsonObject;

import java.math.BigInteger;

/**
 * A simulated device on a hub. It owns its originator counter so that every header it raises is unique
 * unless a scenario resends one on purpose. The counter is an unsigned 64-bit value held in a long.
 */
final class SimDevice {

  private final String deviceId;
  private final String deviceType;
  private final JsonObject dmc;
  private long nextCounter;

  SimDevice(String deviceId, String deviceType, JsonObject dmc, long firstCounter) {
    this.deviceId = deviceId;
    this.deviceType = deviceType;
    this.dmc = dmc;
    this.nextCounter = firstCounter;
  }

  String deviceId() {
    return deviceId;
  }

  String deviceType() {
    return deviceType;
  }

  /** The device model combination, or null where the device does not report one. */
  JsonObject dmc() {
    return dmc == null ? null : dmc.copy();
  }

  /** Takes the next counter value. Scenarios keep counters far enough from 2^64 that this never wraps. */
  long takeCounter(int step) {
    long value = nextCounter;
    nextCounter += step;
    return value;
  }

  /** The JSON integer for an unsigned 64-bit counter: values above Long.MAX_VALUE become a BigInteger. */
  static Object counterJson(long unsigned) {
    return unsigned >= 0 ? (Object) unsigned : new BigInteger(Long.toUnsignedString(unsigned));
  }
}
