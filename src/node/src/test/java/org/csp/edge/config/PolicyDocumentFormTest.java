package org.csp.edge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.csp.edge.alert.Dmc;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.CodeMode;
import org.junit.jupiter.api.Test;

/**
 * The document an operator gets, edits and sets back (operations.md: policy get --document, edit, policy set) says
 * only what each code and model sets apart from what it inherits, so a later change of the defaults or of a code
 * reaches what they leave out; read again, it is the same policy.
 */
class PolicyDocumentFormTest {
  private static final Dmc GPF = new Dmc("Acme", "GPF-2", "1.0.3");
  private static final JsonObject GIVEN = new JsonObject()
      .put("defaults", new JsonObject().put("stormThreshold", 10))
      .put("codes", new JsonObject().put("8F3E", new JsonObject().put("summaryPeriod", "1h"))
          .put("8F50", new JsonObject().put("mode", "forward"))
          .put("8F51", new JsonObject().put("stormThreshold", 10).put("stormWindow", "30s")))
      .put("dmcs", new JsonArray()
          .add(new JsonObject().put("manufacturer", "Acme").put("model", "GPF-2").put("firmware", "1.0.3")
              .put("stormWindow", "2m").put("codes", new JsonObject().put("8F12", new JsonObject().put("mode", "forward"))))
          .add(new JsonObject().put("manufacturer", "*").put("model", "ESME-9").put("firmware", "*").put("stormThreshold", 5)
              .put("mode", "consolidate")));

  @Test
  void aCodeAndAModelListOnlyWhatTheySetApartFromWhatTheyInherit() {
    AlertPolicy policy = PolicyJson.read(GIVEN);
    JsonObject written = PolicyJson.write(policy);
    assertEquals(policy, PolicyJson.read(written), "read again, the same policy");
    JsonObject codes = written.getJsonObject("codes");
    assertEquals(new JsonObject().put("summaryPeriod", "1h"), codes.getJsonObject("8F3E"));
    assertEquals(new JsonObject().put("mode", "forward"), codes.getJsonObject("8F50"));
    assertEquals(new JsonObject().put("stormWindow", "30s"), codes.getJsonObject("8F51"), "a value equal to the default is the default's");
    JsonObject gpf = written.getJsonArray("dmcs").getJsonObject(0);
    assertEquals("2m", gpf.getString("stormWindow"));
    assertFalse(gpf.containsKey("mode") || gpf.containsKey("stormThreshold"), "the defaults are not pinned into a model: " + gpf);
    assertEquals(new JsonObject().put("8F12", new JsonObject().put("mode", "forward")), gpf.getJsonObject("codes"),
        "its own code only; not the codes' own modes copied in: " + gpf);
    assertEquals("consolidate", written.getJsonArray("dmcs").getJsonObject(1).getString("mode", "consolidate"));
  }

  @Test
  void theDocumentedEditCycleReachesWhatTheCodesAndModelsLeaveOut() {
    JsonObject document = PolicyJson.write(PolicyJson.read(GIVEN)); // policy get --document
    document.getJsonObject("defaults").put("stormThreshold", 4); // edit
    document.getJsonObject("codes").getJsonObject("8F50").put("mode", "consolidate");
    AlertPolicy set = PolicyJson.read(document); // policy set
    assertEquals(4, set.forCode("8F3E").stormThreshold(), "a code that set only its period follows the defaults");
    assertEquals(Duration.ofHours(1), set.forCode("8F3E").summaryPeriod());
    assertEquals(4, set.forAlert("8F3E", GPF).stormThreshold(), "and so does a model that set only its window");
    assertEquals(Duration.ofMinutes(2), set.forAlert("8F3E", GPF).stormWindow());
    assertEquals(CodeMode.CONSOLIDATE, set.forAlert("8F50", GPF).mode(), "a code's own change reaches the model's devices");
    assertEquals(CodeMode.FORWARD, set.forAlert("8F12", GPF).mode(), "what the model sets for a code stays");
  }

  @Test
  void documentsOfOnePolicyInAnyFormAreOneCanonically() {
    AlertPolicy policy = PolicyJson.read(GIVEN);
    JsonObject earlierForm = PolicyJson.write(policy); // as a release before 2026-12-07 wrote it: each code whole
    for (String code : policy.codes().keySet()) earlierForm.getJsonObject("codes").put(code, PolicyJson.write(policy.forCode(code)));
    assertEquals(policy, PolicyJson.read(earlierForm));
    assertEquals(PolicyJson.canonical(GIVEN), PolicyJson.canonical(earlierForm));
    assertEquals(PolicyJson.canonical(GIVEN), PolicyJson.canonical(GIVEN.copy().put("maxDevicesPerHub",
        AlertPolicy.DEFAULTS.maxDevicesPerHub())), "a default written out is the same policy");
  }
}
