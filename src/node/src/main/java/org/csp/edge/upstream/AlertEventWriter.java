package org.csp.edge.upstream;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Dmc;

/**
 * The bytes of an {@code alert} event, written field by field with Jackson's streaming generator. Every forwarded
 * alert is one such event, so it skips what the other events go through: a JsonObject's map filled and then
 * walked by the encoder. The fields and their order are those of wire-format.md's header, then the alert as
 * received, then {@code consolidatedSinceLast} and {@code receivedAt}.
 */
final class AlertEventWriter {
  private static final JsonFactory JSON = new JsonFactory();
  /** A typical event is 450 to 550 bytes; the builder grows past this if it must. */
  private static final int INITIAL_BYTES = 640;

  private AlertEventWriter() {}

  static byte[] write(String eventId, String region, String nodeId, String emittedAt, Alert alert,
      long consolidatedSinceLast, String receivedAt) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(INITIAL_BYTES);
    try (JsonGenerator g = JSON.createGenerator(bytes, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("eventId", eventId);
      g.writeStringField("type", "alert");
      g.writeStringField("region", region);
      g.writeStringField("nodeId", nodeId);
      g.writeStringField("emittedAt", emittedAt);
      g.writeNumberField("count", 1);
      g.writeNumberField("schema", EventFactory.SCHEMA);
      g.writeStringField("hubId", alert.hubId());
      g.writeStringField("deviceId", alert.deviceId());
      if (alert.deviceType() != null) g.writeStringField("deviceType", alert.deviceType());
      g.writeStringField("alertCode", alert.alertCode());
      g.writeFieldName("originatorCounter");
      long counter = alert.originatorCounter();
      // Above Long.MAX_VALUE a Java long is negative: the JSON number is the unsigned value.
      if (counter >= 0) g.writeNumber(counter);
      else g.writeNumber(new BigInteger(Long.toUnsignedString(counter)));
      g.writeStringField("raisedAt", alert.raisedAt());
      Dmc dmc = alert.dmc();
      if (dmc != null) {
        g.writeObjectFieldStart("dmc");
        g.writeStringField("manufacturer", dmc.manufacturer());
        g.writeStringField("model", dmc.model());
        g.writeStringField("firmware", dmc.firmware());
        g.writeEndObject();
      }
      if (alert.payload() != null) g.writeStringField("payload", alert.payload());
      g.writeNumberField("consolidatedSinceLast", consolidatedSinceLast);
      g.writeStringField("receivedAt", receivedAt);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode an alert event in memory", e); // a ByteArrayBuilder does not fail
    }
    return bytes.toByteArray();
  }
}
