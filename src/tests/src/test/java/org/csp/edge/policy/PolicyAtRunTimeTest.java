package org.csp.edge.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.csp.edge.Node;
import org.csp.edge.cli.ApiClient;
import org.csp.edge.support.InJvmCluster;
import org.csp.edge.support.TestNodes;
import org.csp.edge.support.UpstreamBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy changed at run time on a cluster of three members in this JVM (real Hazelcast members on loopback,
 * real HTTP, real MQTT): a change made on one member is served by every member within a second and decides the
 * next alerts, storms in progress go on, refused documents change nothing, and a member that joins later has
 * every version.
 */
class PolicyAtRunTimeTest {
  @RegisterExtension static final UpstreamBroker upstream = new UpstreamBroker();
  @TempDir static Path dir;
  private static PolicyCallers callers;
  private static InJvmCluster cluster;
  /** The file's policy: the test policy, with storms that stay open while the test looks at them. */
  private static final JsonObject FILE_POLICY = TestNodes.fastPolicy();

  static {
    FILE_POLICY.getJsonObject("defaults").put("quietPeriod", "30s");
  }

  @BeforeAll
  static void start() throws Exception {
    callers = new PolicyCallers(dir);
    cluster = new InJvmCluster(upstream.broker().url()).policy(FILE_POLICY).section("security", callers.security()).start(3);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
  }

  private static ApiClient admin(int member) {
    return callers.admin(cluster.nodes().get(member).httpPort());
  }

  private static JsonObject policyOf(int member) {
    return admin(member).get("/v1/policy");
  }

  @Test
  void aChangeOnOneMemberIsServedByEveryMemberWithinASecondAndDecidesTheNextAlerts() throws Exception {
    List<Node> nodes = cluster.nodes();
    int mqtt = nodes.get(0).config().mqttPort();
    // Two hubs in storm: one on 8F0F, one on 8F3E (5 alerts in 10 s trip a storm).
    PolicyCallers.send(upstream.vertx(), mqtt, "00-1B-C5-0C-00-00-40-01", "8F0F", 1, 6);
    PolicyCallers.send(upstream.vertx(), nodes.get(1).config().mqttPort(), "00-1B-C5-0C-00-00-40-02", "8F3E", 1, 6);
    assertTrue(cluster.sum("consolidated") >= 2, cluster.statuses());

    int before = policyOf(0).getInteger("version");
    JsonObject document = PolicyCallers.withCode(FILE_POLICY, "8F0F", "forward");
    JsonObject made = admin(2).put("/v1/policy", new JsonObject().put("policy", document).put("comment", "8F0F singly"));
    long madeAt = System.nanoTime();
    int version = made.getInteger("version");
    assertEquals(before + 1, version);
    assertEquals("ops", made.getString("changedBy"), "the token's name");
    JsonObject added = made.getJsonArray("diff").getJsonObject(0);
    assertEquals("codes.8F0F", added.getString("path"), made.encode());
    assertNull(added.getValue("from"));

    // Every member serves it within a second, and answers the same.
    List<JsonObject> answers = new ArrayList<>();
    for (int m = 0; m < nodes.size(); m++) {
      JsonObject p;
      do {
        p = policyOf(m);
      } while (p.getInteger("version") != version && System.nanoTime() - madeAt < TimeUnit.SECONDS.toNanos(1));
      assertEquals(version, p.getInteger("version"), "member " + m + " within 1 s of the change");
      answers.add(p);
    }
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - madeAt);
    assertTrue(tookMs < 1000, "every member served the change within 1 s, took " + tookMs + " ms");
    assertEquals(answers.get(0), answers.get(1));
    assertEquals(answers.get(0), answers.get(2));
    JsonObject inForce = answers.get(0);
    assertEquals("forward", inForce.getJsonObject("codes").getJsonObject("8F0F").getString("mode"), "today's fields kept");
    assertEquals("8F0F singly", inForce.getString("comment"));
    assertEquals("ops", inForce.getString("changedBy"));
    assertEquals("api", inForce.getJsonObject("origins").getString("codes.8F0F"));
    assertEquals("file", inForce.getJsonObject("origins").getString("defaults"));
    assertEquals("file", inForce.getJsonObject("origins").getString("duplicates"));

    // The next 8F0F of the hub in storm is forwarded singly, while the storm on 8F3E goes on.
    long forwarded = cluster.sum("forwarded");
    long consolidated = cluster.sum("consolidated");
    PolicyCallers.send(upstream.vertx(), nodes.get(1).config().mqttPort(), "00-1B-C5-0C-00-00-40-01", "8F0F", 7, 1);
    assertEquals(forwarded + 1, cluster.sum("forwarded"), cluster.statuses());
    assertEquals(consolidated, cluster.sum("consolidated"));
    PolicyCallers.send(upstream.vertx(), nodes.get(2).config().mqttPort(), "00-1B-C5-0C-00-00-40-02", "8F3E", 7, 1);
    assertEquals(consolidated + 1, cluster.sum("consolidated"), "the storm on 8F3E continues: " + cluster.statuses());
    assertEquals(forwarded + 1, cluster.sum("forwarded"));

    String metrics = admin(1).send("GET", "/metrics", null).body();
    assertTrue(metrics.lines().anyMatch(l -> l.startsWith("csp_policy_version{") && l.endsWith(" " + version + ".0")), metrics);
    assertTrue(admin(2).send("GET", "/metrics", null).body().lines()
        .anyMatch(l -> l.startsWith("csp_policy_changes_total{") && l.contains("action=\"put\"") && !l.endsWith(" 0.0")));
  }

  @Test
  void aRefusedDocumentNamesEachBadFieldAndChangesNothing() throws Exception {
    JsonObject before = policyOf(0);
    JsonObject bad = FILE_POLICY.copy().put("bogus", 1);
    bad.put("codes", new JsonObject().put("8F3E", new JsonObject().put("stormThreshold", 0)).put("XYZ", new JsonObject()));
    ApiClient.Answer a = admin(1).exchange("PUT", "/v1/policy", new JsonObject().put("policy", bad).put("comment", "bad"));
    assertEquals(400, a.status(), a.body());
    assertEquals("application/problem+json", a.contentType());
    Set<String> fields = new TreeSet<>();
    JsonArray errors = a.json().getJsonArray("errors");
    for (int i = 0; i < errors.size(); i++) fields.add(errors.getJsonObject(i).getString("field"));
    assertTrue(fields.containsAll(Set.of("policy.bogus", "policy.codes.8F3E.stormThreshold", "policy.codes.XYZ")), a.body());
    assertEquals("/policy/codes/8F3E/stormThreshold", errors.stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("field").equals("policy.codes.8F3E.stormThreshold")).findFirst().orElseThrow().getString("pointer"));

    ApiClient.Answer unknown = admin(0).exchange("PUT", "/v1/policy", new JsonObject().put("policy", FILE_POLICY).put("why", "x"));
    assertEquals(400, unknown.status());
    assertEquals("why", unknown.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    assertEquals(400, admin(0).exchange("PUT", "/v1/policy", new JsonObject().put("comment", "no policy")).status());
    // A key written twice is refused, not read as its last value (a second codes would drop the first's rules).
    Path twice = Files.writeString(dir.resolve("twice.json"), "{\"policy\": {\"codes\": {\"8F3E\": {\"mode\": \"forward\"}},"
        + " \"codes\": {}}, \"comment\": \"twice\"}");
    ApiClient.Answer repeated = admin(0).upload("PUT", "/v1/policy", twice, "application/json", java.time.Duration.ofSeconds(10));
    assertEquals(400, repeated.status(), repeated.body());
    assertTrue(repeated.body().contains("a key repeated in one object"), repeated.body());
    // Every version is kept and logged at each start: a comment is a note, bounded, not a file.
    ApiClient.Answer long_ = admin(0).exchange("PUT", "/v1/policy", new JsonObject().put("policy", FILE_POLICY)
        .put("comment", "x".repeat(1025)));
    assertEquals(400, long_.status(), long_.body());
    assertEquals("/comment", long_.json().getJsonArray("errors").getJsonObject(0).getString("pointer"), long_.body());
    assertEquals(400, admin(0).exchange("POST", "/v1/policy/rollback", new JsonObject().put("version", "one")).status());
    ApiClient.Answer quoted = admin(0).exchange("POST", "/v1/policy/rollback", new JsonObject().put("version", "2"));
    assertEquals(400, quoted.status());
    assertTrue(quoted.body().contains("whole JSON number") && quoted.body().contains("the string \\\"2\\\""),
        "says a number is wanted, not a string: " + quoted.body());
    assertEquals(404, admin(0).exchange("POST", "/v1/policy/rollback", new JsonObject().put("version", 9999)).status());

    ApiClient.Answer forbidden = callers.client(cluster.nodes().get(0).httpPort())
        .exchange("PUT", "/v1/policy", new JsonObject().put("policy", FILE_POLICY));
    assertEquals(403, forbidden.status());
    assertEquals("application/problem+json", forbidden.contentType());
    assertEquals(403, callers.client(cluster.nodes().get(1).httpPort())
        .exchange("POST", "/v1/policy/rollback", new JsonObject().put("version", 1)).status());
    assertEquals(200, callers.client(cluster.nodes().get(1).httpPort()).exchange("GET", "/v1/policy/history", null).status(),
        "reads are open to clients");

    for (int m = 0; m < 3; m++) assertEquals(before, policyOf(m), "nothing applied on member " + m);
  }

  @Test
  void historyShowsEachChangeAndARollbackRestoresAVersion() throws Exception {
    ApiClient admin = admin(0);
    int base = admin.put("/v1/policy", new JsonObject().put("policy", FILE_POLICY).put("comment", "as the file"))
        .getInteger("version");
    JsonObject doc = FILE_POLICY.copy();
    doc.getJsonObject("defaults").put("stormThreshold", 9);
    int changed = admin(1).put("/v1/policy", new JsonObject().put("policy", doc).put("comment", "fewer storms"))
        .getInteger("version");
    assertEquals(base + 1, changed);

    JsonArray versions = admin(2).get("/v1/policy/history").getJsonArray("versions");
    assertEquals(1, versions.getJsonObject(0).getInteger("version"), "version 1 is the file's policy");
    assertEquals("file", versions.getJsonObject(0).getString("origin"));
    JsonObject last = versions.getJsonObject(versions.size() - 1);
    assertEquals(changed, last.getInteger("version"));
    assertEquals("fewer storms", last.getString("comment"));
    assertEquals("ops", last.getString("changedBy"));
    assertEquals(new JsonArray().add(new JsonObject().put("path", "defaults.stormThreshold").put("from", 5).put("to", 9)),
        last.getJsonArray("diff"));
    for (int i = 0; i < versions.size(); i++) assertEquals(i + 1, versions.getJsonObject(i).getInteger("version"), "no gap, no repeat");

    JsonObject rolledBack = admin(2).post("/v1/policy/rollback", new JsonObject().put("version", 1).put("comment", "undo"));
    assertEquals(changed + 1, rolledBack.getInteger("version"));
    assertEquals("rollback to version 1: undo", rolledBack.getString("comment"));
    JsonObject inForce = policyOf(1);
    assertEquals(changed + 1, inForce.getInteger("version"));
    assertEquals(5, inForce.getJsonObject("defaults").getInteger("stormThreshold"));
    assertTrue(inForce.getJsonObject("origins").stream().allMatch(e -> e.getValue().equals("file")), inForce.encode());
  }

  @Test
  void twoMembersChangingAtOnceNeverTakeTheSameVersion() throws Exception {
    int before = policyOf(0).getInteger("version");
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Integer>> puts = new ArrayList<>();
    for (int m = 0; m < 3; m++) {
      ApiClient admin = admin(m);
      JsonObject doc = FILE_POLICY.copy().put("maxHubsPerGroup", 100 + m);
      puts.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return admin.put("/v1/policy", new JsonObject().put("policy", doc).put("comment", "racer")).getInteger("version");
      }));
    }
    go.countDown();
    Set<Integer> taken = new TreeSet<>();
    for (CompletableFuture<Integer> p : puts) taken.add(p.get(30, TimeUnit.SECONDS));
    assertEquals(Set.of(before + 1, before + 2, before + 3), taken);
    Thread.sleep(1_000);
    JsonObject first = policyOf(0);
    assertEquals(before + 3, first.getInteger("version"));
    for (int m = 1; m < 3; m++) assertEquals(first, policyOf(m), "the highest version is in force on every member");
  }

  @Test
  void aMemberJoiningLaterHasEveryVersionOnItsDisk() throws Exception {
    admin(0).put("/v1/policy", new JsonObject().put("policy", PolicyCallers.withCode(FILE_POLICY, "8014", "forward"))
        .put("comment", "before the join"));
    Node late = cluster.add();
    try {
      JsonObject history = callers.admin(late.httpPort()).get("/v1/policy/history");
      assertEquals(admin(0).get("/v1/policy/history"), history);
      assertEquals(policyOf(0), callers.admin(late.httpPort()).get("/v1/policy"));
      int versions = history.getJsonArray("versions").size();
      List<String> lines = Files.readAllLines(late.config().dataDir().resolve("policy-versions.jsonl"), StandardCharsets.UTF_8);
      assertEquals(versions, lines.size(), "the late member wrote down every version");
      assertNotEquals(0, versions);
    } finally {
      cluster.stop(late);
    }
  }
}
