package org.csp.edge.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.csp.edge.Main;
import org.csp.edge.Node;
import org.csp.edge.cli.ApiClient;
import org.csp.edge.cli.CommandLines;
import org.csp.edge.support.TestNodes;
import org.csp.edge.support.UpstreamBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/policy/preview} and {@code policy preview FILE} on a running node with a real upstream broker: a
 * storm the node consolidated is replayed under the policy in force and under one that forwards its code.
 */
class PolicyPreviewTest {
  @RegisterExtension static final UpstreamBroker upstream = new UpstreamBroker();
  @TempDir static Path dir;
  private static final String HUB = "00-1B-C5-0C-00-00-50-01";
  private static final int STORM = 8;
  private static PolicyCallers callers;
  private static Node node;

  @BeforeAll
  static void start() throws Exception {
    callers = new PolicyCallers(dir);
    JsonObject config = TestNodes.config(upstream.broker().url()).put("security", callers.security());
    config.put("policy", TestNodes.fastPolicy());
    node = TestNodes.start(config);
    PolicyCallers.send(upstream.vertx(), node.config().mqttPort(), HUB, "8F3E", 1, STORM);
  }

  @AfterAll
  static void stop() throws Exception {
    TestNodes.stop(node);
  }

  @Test
  void aStormTheNodeConsolidatedIsForwardedUnderAPolicyThatForwardsItsCode() {
    ApiClient admin = callers.admin(node.httpPort());
    JsonObject inForce = admin.get("/v1/policy");
    JsonObject proposed = PolicyCallers.withCode(TestNodes.fastPolicy(), "8F3E", "forward");
    JsonObject answer = admin.post("/v1/policy/preview", new JsonObject().put("policy", proposed));

    assertEquals(STORM, answer.getLong("alertsSeen"), answer.encodePrettily());
    assertEquals(STORM, answer.getLong("alertsReplayed"));
    assertEquals(1.0, answer.getDouble("sampled"));
    assertTrue(answer.getString("approximation").contains("this member"), answer.getString("approximation"));
    JsonObject current = answer.getJsonObject("current");
    assertEquals(1L, current.getJsonObject("storms").getLong("8F3E"), answer.encodePrettily());
    long forwarded = current.getJsonObject("verdicts").getLong("forward", 0L);
    assertTrue(current.getJsonObject("events").getLong("summary", 0L) >= 1, answer.encodePrettily());
    assertEquals(STORM, forwarded + current.getLong("alertsInSummaries"), "every alert replayed is accounted for");
    JsonObject then = answer.getJsonObject("proposed");
    assertEquals(new JsonObject().put("forward", STORM), then.getJsonObject("verdicts"));
    assertEquals(new JsonObject().put("alert", STORM), then.getJsonObject("events"));
    assertTrue(then.getJsonObject("storms").isEmpty());
    assertEquals(inForce.getInteger("version"), admin.get("/v1/policy").getInteger("version"), "nothing applied");
  }

  @Test
  void aRefusedDocumentNamesEachBadFieldAndAClientMayNotPreview() {
    ApiClient admin = callers.admin(node.httpPort());
    JsonObject bad = TestNodes.fastPolicy().put("codes", new JsonObject().put("8F3E", new JsonObject().put("stormThreshold", 0)));
    ApiClient.Answer refused = admin.exchange("POST", "/v1/policy/preview", new JsonObject().put("policy", bad));
    assertEquals(400, refused.status(), refused.body());
    assertEquals("application/problem+json", refused.contentType());
    JsonArray errors = refused.json().getJsonArray("errors");
    assertEquals("policy.codes.8F3E.stormThreshold", errors.getJsonObject(0).getString("field"), refused.body());
    ApiClient.Answer unknown = admin.exchange("POST", "/v1/policy/preview",
        new JsonObject().put("policy", TestNodes.fastPolicy()).put("comment", "x"));
    assertEquals(400, unknown.status());
    assertEquals("comment", unknown.json().getJsonArray("errors").getJsonObject(0).getString("field"));

    ApiClient.Answer forbidden = callers.client(node.httpPort())
        .exchange("POST", "/v1/policy/preview", new JsonObject().put("policy", TestNodes.fastPolicy()));
    assertEquals(403, forbidden.status(), forbidden.body());
  }

  @Test
  void theCommandPrintsBothSidesAndTheApproximation() throws Exception {
    Path file = dir.resolve("proposed.yaml");
    Files.writeString(file, "codes:\n  8F3E:\n    mode: forward\ndefaults:\n  stormThreshold: 5\n  regionalDetection: threshold\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(CommandLines.OK, run(file, callers.adminToken, out, err), err.toString(StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8);
    assertTrue(printed.startsWith(STORM + " alerts replayed of " + STORM + " seen"), printed);
    assertTrue(printed.lines().anyMatch(l -> l.matches("verdicts forward\\s+\\d+\\s+" + STORM)), printed);
    assertTrue(printed.lines().anyMatch(l -> l.matches("storms 8F3E\\s+1\\s+0")), printed);
    assertTrue(printed.contains("this member"), printed);

    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "defaults:\n  stormThreshold: 0\n");
    err.reset();
    assertNotEquals(CommandLines.OK, run(bad, callers.adminToken, out, err));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("policy.defaults.stormThreshold"), err.toString(StandardCharsets.UTF_8));
  }

  private static int run(Path file, String token, ByteArrayOutputStream out, ByteArrayOutputStream err) {
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    String[] args = List.of("policy", "preview", file.toString(), "--url", "http://127.0.0.1:" + node.httpPort(),
        "--token=" + token).toArray(String[]::new);
    return CommandLines.execute(Main.commandLine(java.util.Map.of(), InputStream.nullInputStream(), o, e), args, o, e);
  }
}
