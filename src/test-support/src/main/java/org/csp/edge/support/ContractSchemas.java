package org.csp.edge.support;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The wire format's JSON Schemas (src/docs/schemas, contract revision 2), read with a JSON Schema 2020-12 validator,
 * so that tests check what the node sends and what the simulator sends against the contract's machine-readable form.
 * Tests run with the repository's top as working directory.
 */
public final class ContractSchemas {
  public static final Path DIR = Path.of("src/docs/schemas");
  public static final String ALERT = "alert.schema.json";
  public static final String NODE_STATUS = "node-status.schema.json";
  /** Unsigned 64-bit counters are larger than a long: read them exactly. */
  public static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private final Map<String, JsonSchema> byFile = new ConcurrentHashMap<>();

  /** The schema in {@code file} of {@link #DIR}; its relative $refs resolve against the directory. */
  public JsonSchema schema(String file) {
    return byFile.computeIfAbsent(file, f -> {
      JsonSchema s = factory.getSchema(SchemaLocation.of(DIR.resolve(f).toAbsolutePath().toUri().toString()));
      s.initializeValidators(); // every $ref resolved now: a dangling one fails here, not on the first instance
      return s;
    });
  }

  /** The schema of a northbound event of that {@code type}. */
  public static String eventSchemaFile(String type) {
    return "event-" + type + ".schema.json";
  }

  /** Where the alert (one JSON value) breaks the contract; empty when it keeps it. */
  public List<String> alertProblems(JsonNode alert) {
    return problems(ALERT, alert);
  }

  /**
   * Where a northbound MQTT message breaks the contract: the node's status on {@code .../status}, any other message
   * by its {@code type}. Empty when it keeps the contract.
   */
  public List<String> northboundProblems(String topic, byte[] payload) {
    JsonNode message;
    try {
      message = JSON.readTree(payload);
    } catch (IOException e) {
      return List.of("not JSON: " + e.getMessage());
    }
    if (topic.endsWith("/status")) return problems(NODE_STATUS, message);
    JsonNode type = message.get("type");
    if (type == null || !type.isTextual()) return List.of("no type");
    if (!DIR.resolve(eventSchemaFile(type.asText())).toFile().isFile()) return List.of("unknown type " + type);
    return problems(eventSchemaFile(type.asText()), message);
  }

  public List<String> problems(String file, JsonNode instance) {
    return schema(file).validate(instance).stream().map(ValidationMessage::toString).sorted().toList();
  }

  public static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
