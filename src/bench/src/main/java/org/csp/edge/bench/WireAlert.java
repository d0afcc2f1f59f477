package org.csp.edge.bench;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes alert objects in the wire format (src/docs/wire-format.md) straight into a StringBuilder: at a few hundred
 * thousand alerts a second, building a JsonObject per alert would make the generator, not the node, the bottleneck.
 * Field order and optional fields follow the simulator's AlertFactory: dmc on 6 alerts in 10, a small payload on 3.
 */
final class WireAlert {
  /** The simulator's model-combination catalogue, pre-encoded. */
  private static final List<String> DMCS = List.of(
      dmc("Meterco", "E470", "1.2.0"), dmc("Gridwise", "S2A", "1.4.3"), dmc("Hexmeter", "G4-SMETS2", "2.0.1"),
      dmc("Northfield", "CH-2100", "3.1.7"), dmc("Meterco", "P300", "1.4.3"), dmc("Gridwise", "E470", "2.0.1"));
  static final String FAULTY_GPF_DMC = dmc("Gridwise", "GPF-200", "4.1.7-faulty");
  /** Payloads of 8 to 48 random bytes, drawn once: base64 of fresh random bytes per alert costs more than sending it. */
  private static final String[] PAYLOADS = new String[64];

  static {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < PAYLOADS.length; i++) {
      byte[] bytes = new byte[8 + random.nextInt(41)];
      random.nextBytes(bytes);
      PAYLOADS[i] = Base64.getEncoder().encodeToString(bytes);
    }
  }

  private WireAlert() {}

  /**
   * One alert object. {@code variety} (any number, e.g. the alert's sequence) picks whether the optional dmc and
   * payload are present, and which; {@code fixedDmc} non-null means the device always reports that one.
   */
  static void write(StringBuilder sb, String hubId, String deviceId, String deviceType, String alertCode,
      long unsignedCounter, String raisedAt, long variety, String fixedDmc) {
    int mix = (int) Math.floorMod(variety * 0x2545F4914F6CDD1DL >>> 7, 1000L);
    sb.append("{\"hubId\":\"").append(hubId)
        .append("\",\"deviceId\":\"").append(deviceId)
        .append("\",\"deviceType\":\"").append(deviceType)
        .append("\",\"alertCode\":\"").append(alertCode)
        .append("\",\"originatorCounter\":").append(Long.toUnsignedString(unsignedCounter))
        .append(",\"raisedAt\":\"").append(raisedAt).append('"');
    if (fixedDmc != null) sb.append(",\"dmc\":").append(fixedDmc);
    else if (mix % 10 < 6) sb.append(",\"dmc\":").append(DMCS.get(mix % DMCS.size()));
    if ((mix / 10) % 10 < 3) sb.append(",\"payload\":\"").append(PAYLOADS[mix % PAYLOADS.length]).append('"');
    sb.append('}');
  }

  /**
   * A header counter start for a device: a third small, a third mid-range, a third above Long.MAX_VALUE (the node
   * must keep the unsigned 64-bit range), as the simulator draws them. Far enough from 2^64 never to wrap.
   */
  static long counterBase(long deviceIndex) {
    return switch ((int) Math.floorMod(deviceIndex, 3L)) {
      case 0 -> 17;
      case 1 -> (1L << 40) + deviceIndex;
      default -> Long.MIN_VALUE + (deviceIndex << 8);
    };
  }

  static byte[] bytes(StringBuilder sb) {
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static String dmc(String manufacturer, String model, String firmware) {
    return "{\"manufacturer\":\"" + manufacturer + "\",\"model\":\"" + model + "\",\"firmware\":\"" + firmware + "\"}";
  }
}
