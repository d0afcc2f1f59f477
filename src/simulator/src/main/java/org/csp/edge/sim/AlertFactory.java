package org.csp.edge.sim;

import io.vertx.core.json.JsonObject;

import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Makes well-formed alerts for a scenario: distinct ids, unique counters per device, raisedAt moving
 * forward from the context's start. All randomness comes from one seeded generator, so a scenario that
 * draws in a fixed order is reproducible.
 */
final class AlertFactory {

  /** Device types the wire format names. */
  static final List<String> DEVICE_TYPES = List.of("ESME", "GSME", "GPF", "CHF", "PPMID", "HCALCS", "IHD");

  private static final List<String> MANUFACTURERS = List.of("Meterco", "Gridwise", "Hexmeter", "Northfield");
  private static final List<String> MODELS = List.of("E470", "S2A", "G4-SMETS2", "CH-2100", "P300");
  private static final List<String> FIRMWARES = List.of("1.2.0", "1.4.3", "2.0.1", "3.1.7");

  private final ScenarioContext context;
  private final SplittableRandom random;
  private final Eui64 ids;
  private long alertSequence;

  AlertFactory(ScenarioContext context) {
    this.context = context;
    this.random = new SplittableRandom(context.seed());
    this.ids = new Eui64(context.idSpace(), random.split());
  }

  ScenarioContext context() {
    return context;
  }

  SplittableRandom random() {
    return random;
  }

  String newHubId() {
    return ids.next();
  }

  /** A device with a model combination drawn from a small catalogue and a counter start drawn at random. */
  SimDevice newDevice(String deviceType) {
    return newDevice(deviceType, randomDmc(), counterStart());
  }

  SimDevice newDevice(String deviceType, JsonObject dmc) {
    return newDevice(deviceType, dmc, counterStart());
  }

  SimDevice newDevice(String deviceType, JsonObject dmc, long firstCounter) {
    return new SimDevice(ids.next(), deviceType, dmc, firstCounter);
  }

  /**
   * A counter start: a third small, a third mid-range, a third above Long.MAX_VALUE (the node must keep
   * the unsigned 64-bit range). Starts stay below 2^63 + 2^62 so no device ever wraps.
   */
  long counterStart() {
    return switch (random.nextInt(3)) {
      case 0 -> random.nextLong(1_000);
      case 1 -> random.nextLong(1L << 40, Long.MAX_VALUE / 2);
      default -> Long.MIN_VALUE + random.nextLong(1L << 62);
    };
  }

  JsonObject randomDmc() {
    return dmc(pick(MANUFACTURERS), pick(MODELS), pick(FIRMWARES));
  }

  static JsonObject dmc(String manufacturer, String model, String firmware) {
    return new JsonObject().put("manufacturer", manufacturer).put("model", model).put("firmware", firmware);
  }

  /** A full alert: the required fields, deviceType, and sometimes the dmc and a small payload. */
  JsonObject alert(String hubId, SimDevice device, String alertCode) {
    JsonObject alert = new JsonObject()
      .put("hubId", hubId)
      .put("deviceId", device.deviceId())
      .put("deviceType", device.deviceType())
      .put("alertCode", alertCode)
      .put("originatorCounter", nextCounter(device))
      .put("raisedAt", nextRaisedAt());
    JsonObject dmc = device.dmc();
    if (dmc != null && random.nextInt(10) < 6) {
      alert.put("dmc", dmc);
    }
    if (random.nextInt(10) < 3) {
      alert.put("payload", randomPayload(8, 48));
    }
    return alert;
  }

  /** Only the required fields, in the wire format's order. */
  JsonObject requiredFields(String hubId, SimDevice device, String alertCode) {
    return new JsonObject()
      .put("hubId", hubId)
      .put("deviceId", device.deviceId())
      .put("alertCode", alertCode)
      .put("originatorCounter", nextCounter(device))
      .put("raisedAt", nextRaisedAt());
  }

  /** The device's next counter as a JSON integer; steps of 1 to 3, as real counters skip values. */
  private Object nextCounter(SimDevice device) {
    return SimDevice.counterJson(device.takeCounter(1 + random.nextInt(3)));
  }

  /** raisedAt of the next alert: the scenario's start plus one millisecond per alert made so far. */
  String nextRaisedAt() {
    return context.start().plusMillis(alertSequence++).toString();
  }

  /** Base64 of between min and max random bytes. */
  String randomPayload(int minBytes, int maxBytes) {
    byte[] bytes = new byte[minBytes + random.nextInt(maxBytes - minBytes + 1)];
    random.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** Valid base64 of exactly {@code chars} characters (rounded down to a multiple of 4, no padding). */
  String base64OfLength(int chars) {
    byte[] bytes = new byte[(chars / 4) * 3];
    random.nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  <T> T pick(List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }
}
