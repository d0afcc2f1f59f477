package org.csp.edge.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.csp.edge.support.ContractSchemas;
import org.junit.jupiter.api.Test;

/**
 * Every alert the simulator sends, in every scenario, against the contract's alert schema
 * (src/docs/schemas/alert.schema.json): the good ones keep it, and the bad-input scenario's deliberately bad alerts
 * break it, one for one, which shows the schema says what the node refuses.
 */
class AlertSchemaTest {
  /**
   * Kinds whose alerts are well-formed objects: the node refuses them for a configured limit or for their topic,
   * which a schema of the alert object cannot say.
   */
  private static final Set<String> NOT_THE_OBJECTS_FAULT =
      Set.of(Kinds.OVERSIZED_PAYLOAD, Kinds.OVERSIZED_MESSAGE, Kinds.HUB_MISMATCH, Kinds.BATCH_HUB_MISMATCH);

  private final ContractSchemas schemas = new ContractSchemas();

  @Test
  void everyScenarioSendsAlertsThatKeepTheContractAndBadInputsThatBreakIt() {
    Set<String> badKindsSeen = new TreeSet<>();
    int checked = 0;
    for (Scenario scenario : Scenarios.all()) {
      for (ScenarioContext context : List.of(TestContexts.mqtt(5, 0.05), TestContexts.ndjson(5, 0.05))) {
        for (SimMessage m : scenario.generate(context)) {
          List<JsonNode> alerts = alerts(m);
          if (alerts == null) {
            assertEquals(Kinds.MALFORMED_JSON, m.kind(), scenario.name() + ": only a malformed message is not JSON: " + m);
            continue;
          }
          long breaking = alerts.stream().filter(a -> a == null || !schemas.alertProblems(a).isEmpty()).count();
          checked += alerts.size();
          int expected = NOT_THE_OBJECTS_FAULT.contains(m.kind()) ? 0 : m.badAlerts();
          assertEquals(expected, breaking, scenario.name() + " over " + context.transport() + ": " + m + " "
              + alerts.stream().map(a -> a == null ? "(not JSON)" : a + " " + schemas.alertProblems(a)).toList());
          if (breaking > 0) badKindsSeen.add(m.kind());
        }
      }
    }
    assertTrue(checked > 1000, "alerts checked: " + checked);
    assertEquals(new TreeSet<>(Set.of(Kinds.BATCH_ONE_BAD, Kinds.MISSING_FIELD, Kinds.COUNTER_AS_STRING,
        Kinds.COUNTER_AS_FLOAT, Kinds.COUNTER_NEGATIVE, Kinds.COUNTER_OVER_U64, Kinds.BAD_HUB_ID, Kinds.BAD_DEVICE_ID,
        Kinds.BAD_ALERT_CODE, Kinds.BAD_RAISED_AT, Kinds.BAD_DMC, Kinds.NOT_OBJECT_IN_ARRAY, Kinds.NDJSON_BAD_LINE)),
        badKindsSeen, "every kind of bad alert breaks the schema");
  }

  @Test
  void theEdgesOfTheFormatKeepIt() {
    String good = "{\"hubId\":\"00-1b-c5-0c-00-00-00-01\",\"deviceId\":\"00-1B-C5-0C-00-00-00-02\",\"alertCode\":\"8f3e\","
        + "\"originatorCounter\":%s,\"raisedAt\":\"2026-11-23T10:15:30.123456789Z\",\"deviceType\":\"gpf\","
        + "\"payload\":\"AAEC\",\"vendorExtension\":{\"x\":1}}";
    assertEquals(List.of(), schemas.alertProblems(ContractSchemas.read(good.formatted("18446744073709551615"))));
    assertEquals(List.of(), schemas.alertProblems(ContractSchemas.read(good.formatted("0"))));
    assertFalse(schemas.alertProblems(ContractSchemas.read(good.formatted("18446744073709551616"))).isEmpty());
    assertFalse(schemas.alertProblems(ContractSchemas.read(good.formatted("1.5"))).isEmpty());
  }

  /** The alerts of a message as JSON values (null for an NDJSON line that is not JSON), or null if it is not JSON. */
  private static List<JsonNode> alerts(SimMessage m) {
    List<JsonNode> out = new ArrayList<>();
    if (m.format() == SimMessage.Format.NDJSON) {
      for (String line : m.payloadText().split("\n")) {
        if (line.isBlank()) continue;
        out.add(readOrNull(line.getBytes(StandardCharsets.UTF_8)));
      }
      return out;
    }
    JsonNode node = readOrNull(m.payload());
    if (node == null) return null;
    if (node.isArray()) node.forEach(out::add);
    else out.add(node);
    return out;
  }

  private static JsonNode readOrNull(byte[] bytes) {
    try {
      return ContractSchemas.JSON.readTree(bytes);
    } catch (IOException notJson) {
      return null;
    }
  }
}
