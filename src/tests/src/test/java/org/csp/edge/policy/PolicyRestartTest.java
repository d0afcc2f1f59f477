package org.csp.edge.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.csp.edge.Node;
import org.csp.edge.support.Await;
import org.csp.edge.support.TestNodes;
import org.csp.edge.support.UpstreamBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full restart of a cluster of three members in this JVM: every member stopped, then started again with the same
 * configuration and data directory. The versions made through the API come back, the last one in force. Started
 * again with a configuration file whose policy changed, the API's version stays in force and the answer says the
 * file differs (src/docs/operations.md, "Change the policy at run time"). A member restarted with a file that a newer
 * file replaced does not take the cluster back to it.
 */
class PolicyRestartTest {
  @RegisterExtension static final UpstreamBroker upstream = new UpstreamBroker();
  @TempDir Path dir;

  @Test
  void versionsSurviveAFullRestartOfTheCluster() throws Exception {
    System.setProperty("NODE_CLUSTER_NAME", "csp-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    PolicyCallers callers = new PolicyCallers(dir);
    List<JsonObject> configs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      JsonObject c = TestNodes.config(upstream.broker().url());
      c.put("cluster", new JsonObject().put("config", "cluster-config/local.xml")).put("security", callers.security());
      configs.add(c);
    }
    List<Node> nodes = TestNodes.startAll(configs);
    JsonObject history;
    JsonObject inForce;
    try {
      callers.admin(nodes.get(0).httpPort()).put("/v1/policy", new JsonObject()
          .put("policy", PolicyCallers.withCode(TestNodes.fastPolicy(), "8F3E", "forward")).put("comment", "first"));
      JsonObject second = TestNodes.fastPolicy().put("maxHubsPerGroup", 50);
      callers.admin(nodes.get(1).httpPort()).put("/v1/policy", new JsonObject().put("policy", second).put("comment", "second"));
      history = callers.admin(nodes.get(2).httpPort()).get("/v1/policy/history");
      inForce = callers.admin(nodes.get(2).httpPort()).get("/v1/policy");
      assertEquals(3, inForce.getInteger("version"));
    } finally {
      stopAll(nodes);
    }

    nodes = TestNodes.startAll(configs);
    try {
      for (Node n : nodes) {
        assertEquals(history, callers.admin(n.httpPort()).get("/v1/policy/history"), "every version came back");
        JsonObject again = callers.admin(n.httpPort()).get("/v1/policy");
        assertEquals(inForce, again, "the last version is in force again, on every member");
        assertEquals(50, again.getInteger("maxHubsPerGroup"));
      }
    } finally {
      stopAll(nodes);
    }

    // The file's policy changed meanwhile: the API's version stays in force, and the answer says so.
    JsonObject olderFile = configs.get(2).copy();
    for (JsonObject c : configs) c.getJsonObject("policy").put("maxDevicesPerHub", 32);
    nodes = TestNodes.startAll(configs);
    try {
      JsonObject after = callers.admin(nodes.get(0).httpPort()).get("/v1/policy");
      assertEquals(3, after.getInteger("version"));
      assertEquals(50, after.getInteger("maxHubsPerGroup"));
      assertTrue(after.getBoolean("fileDiffers"), after.encode());
      // Back to the base by a rollback: the file's new policy is then recorded at the next start.
      int base = 1;
      JsonObject made = callers.admin(nodes.get(1).httpPort()).post("/v1/policy/rollback", new JsonObject().put("version", base));
      assertEquals(4, made.getInteger("version"));
      List<Node> running = nodes;
      Await.until(() -> running.stream().allMatch(n -> callers.admin(n.httpPort()).get("/v1/policy").getInteger("version") == 4),
          java.time.Duration.ofSeconds(1), () -> "every member has version 4");
    } finally {
      stopAll(nodes);
    }
    List<Node> fourth = TestNodes.startAll(configs);
    try {
      JsonObject recorded = callers.admin(fourth.get(0).httpPort()).get("/v1/policy");
      assertEquals(5, recorded.getInteger("version"), "the changed file is a version of its own: " + recorded.encode());
      assertEquals("file", recorded.getString("origin"));
      assertEquals(32, recorded.getInteger("maxDevicesPerHub"));
      assertFalse(recorded.getBoolean("fileDiffers"));

      // A member not rolled yet restarts (a crash, an eviction) with the file that version 5 replaced: it records
      // nothing, the newer file's version stays in force everywhere, and that member says its file differs.
      TestNodes.stop(fourth.get(2));
      fourth.set(2, TestNodes.start(olderFile));
      for (Node n : fourth) {
        JsonObject seen = callers.admin(n.httpPort()).get("/v1/policy");
        assertEquals(5, seen.getInteger("version"), "an older file does not take the cluster back: " + seen.encode());
        assertEquals(32, seen.getInteger("maxDevicesPerHub"));
      }
      assertTrue(callers.admin(fourth.get(2).httpPort()).get("/v1/policy").getBoolean("fileDiffers"));
    } finally {
      stopAll(fourth);
    }
  }

  private static void stopAll(List<Node> nodes) throws Exception {
    for (Node n : nodes) TestNodes.stop(n);
  }
}
