package org.csp.edge.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.csp.edge.support.Await;
import org.csp.edge.support.NodeProcess;
import org.csp.edge.support.TestNodes;
import org.csp.edge.support.UpstreamBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members, each a JVM of its own. A change is sent to one member and that member is killed (SIGKILL) as soon
 * as the request has left the test, so that it dies while taking the change: before, during or after writing the
 * new version to the cluster's map. Whichever it was, the two survivors then serve the same version, the old one
 * or the new one (with the new document), within a second of agreeing that the member is gone; the next change
 * takes the next number; and the killed member, started again, serves that same history.
 */
class PolicyCrashTest {
  @RegisterExtension static final UpstreamBroker upstream = new UpstreamBroker();
  @TempDir Path dir;
  private final List<NodeProcess> nodes = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (NodeProcess n : nodes) n.close();
  }

  @Test
  void aMemberKilledMidChangeLeavesTheOldOrTheNewVersionEverywhere() throws Exception {
    NodeProcess.requireLocalClusterPorts(3);
    String cluster = NodeProcess.uniqueClusterName();
    Map<String, String> env = NodeProcess.localClusterEnv(cluster);
    PolicyCallers callers = new PolicyCallers(dir);
    List<JsonObject> configs = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      JsonObject c = TestNodes.config(upstream.broker().url()).put("security", callers.security());
      c.getJsonObject("node").put("id", "node-" + i);
      configs.add(c);
      nodes.add(NodeProcess.start("node-" + i, c, env));
    }
    for (NodeProcess n : nodes) n.awaitReady(Duration.ofSeconds(90));
    Await.until(() -> nodes.stream().allMatch(n -> n.clusterMembers() == 3), Duration.ofSeconds(90), () -> "3 members");
    NodeProcess survivor1 = nodes.get(0);
    NodeProcess survivor2 = nodes.get(1);
    NodeProcess victim = nodes.get(2);
    int old = callers.admin(survivor1.httpPort()).put("/v1/policy", new JsonObject()
        .put("policy", TestNodes.fastPolicy()).put("comment", "before")).getInteger("version");

    JsonObject change = PolicyCallers.withCode(TestNodes.fastPolicy(), "8F3E", "forward");
    HttpRequest put = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + victim.httpPort() + "/v1/policy"))
        .header("Authorization", "Bearer " + callers.adminToken).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(new JsonObject().put("policy", change).put("comment", "dies").encode()))
        .build();
    CompletableFuture<HttpResponse<String>> answer = HttpClient.newHttpClient().sendAsync(put, HttpResponse.BodyHandlers.ofString());
    assertEquals(137, victim.kill(), "SIGKILL");
    String victimSaw = answer.handle((r, e) -> e == null ? r.statusCode() + " " + r.body() : "no answer: " + e).get();

    Await.until(() -> survivor1.clusterMembers() == 2 && survivor2.clusterMembers() == 2, Duration.ofSeconds(60),
        () -> "the survivors see the member gone");
    long gone = System.nanoTime();
    JsonObject first;
    JsonObject second;
    do {
      first = callers.admin(survivor1.httpPort()).get("/v1/policy");
      second = callers.admin(survivor2.httpPort()).get("/v1/policy");
    } while (!first.equals(second) && System.nanoTime() - gone < Duration.ofSeconds(1).toNanos());
    assertEquals(first, second, "both survivors serve the same version (the killed member answered: " + victimSaw + ")");
    int version = first.getInteger("version");
    assertTrue(version == old || version == old + 1, "the old or the new version: " + version + " after " + old);
    String mode = first.getJsonObject("codes").containsKey("8F3E")
        ? first.getJsonObject("codes").getJsonObject("8F3E").getString("mode") : "consolidate";
    assertEquals(version == old ? "consolidate" : "forward", mode, "version " + version + " has its own document");

    int next = callers.admin(survivor2.httpPort()).put("/v1/policy", new JsonObject()
        .put("policy", TestNodes.fastPolicy()).put("comment", "after")).getInteger("version");
    assertEquals(version + 1, next, "the next change takes the next number");

    NodeProcess again = NodeProcess.start("node-3", configs.get(2), env);
    nodes.set(2, again);
    again.awaitReady(Duration.ofSeconds(90));
    JsonArray history = callers.admin(survivor1.httpPort()).get("/v1/policy/history").getJsonArray("versions");
    Await.until(() -> callers.admin(again.httpPort()).get("/v1/policy/history").getJsonArray("versions").equals(history),
        Duration.ofSeconds(10), () -> "the restarted member serves the cluster's history");
    for (int i = 0; i < history.size(); i++) assertEquals(i + 1, history.getJsonObject(i).getInteger("version"));
  }
}
