package org.csp.edge.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `helm test`: its pod passes against a healthy node, stays out of everything the release selects (Services, PDB,
 * NetworkPolicy, the StatefulSet, anti-affinity), and the release's NetworkPolicy lets it reach the HTTP port.
 */
class HelmTestPodTest {

  /**
   * Runs the test pod's own script, as rendered, against an HTTP server that answers as the node does: the alert's
   * answer compact, /v1/status pretty-printed by Vert.x (`"upstreamConnected" : true`).
   */
  @Test
  void theTestScriptPassesAgainstAConnectedNodesPrettyPrintedStatus(@TempDir Path dir) throws Exception {
    Manifests m = ChartRender.withTestPod(dir, null, "security.allowAnonymous=true");
    Map<String, Object> container = Tree.<Map<String, Object>>list(m.named("Pod", "-test-alert"), "spec.containers").get(0);
    List<String> command = new ArrayList<>(Tree.list(container, "command"));
    assertEquals("/bin/sh", command.get(0), "the test image's shell");
    command.add(Tree.<String>list(container, "args").get(0));

    String status = new JsonObject().put("region", "central").put("node", "csp-edge-node-0")
        .put("upstreamConnected", true).put("outboxDepth", 0).encodePrettily();
    assertTrue(status.contains("\"upstreamConnected\" : true"), "Vert.x pretty-prints with spaces: " + status);
    String accepted = new JsonObject().put("accepted", 1).put("rejected", 0).put("rejections", new JsonArray()).encode();

    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/alerts", x -> answer(x, accepted));
    server.createContext("/v1/status", x -> answer(x, status));
    server.start();
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().put("BASE", "http://127.0.0.1:" + server.getAddress().getPort());
      Process p = pb.start();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the script ends");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), "helm test passes against a node that accepted the alert and is connected:\n" + out);
      assertTrue(out.contains("connected upstream"), out);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void theTestPodIsInNoSelectorOfTheRelease(@TempDir Path dir) throws IOException {
    Manifests m = ChartRender.withTestPod(dir, "north", "metrics.serviceMonitor.enabled=true",
        "podAntiAffinity.hostname=required");
    Map<String, Object> pod = m.named("Pod", "-test-alert");
    Map<String, Object> labels = Tree.map(pod, "metadata.labels");

    List<Map<String, Object>> selectors = new ArrayList<>();
    m.all("Service").forEach(s -> selectors.add(Tree.map(s, "spec.selector")));
    selectors.add(Tree.map(m.statefulSet(), "spec.selector.matchLabels"));
    selectors.add(Tree.map(m.one("PodDisruptionBudget"), "spec.selector.matchLabels"));
    selectors.add(Tree.map(m.one("NetworkPolicy"), "spec.podSelector.matchLabels"));
    Map<String, Object> antiAffinity = Tree.<Map<String, Object>>list(m.podSpec(),
        "affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution").get(0);
    selectors.add(Tree.map(antiAffinity, "labelSelector.matchLabels"));
    assertEquals(3 + 4, selectors.size(), "three Services, the StatefulSet, the PDB, the NetworkPolicy, the anti-affinity");
    for (Map<String, Object> selector : selectors) {
      assertFalse(labels.entrySet().containsAll(selector.entrySet()), selector + " selects the test pod " + labels);
    }

    // The release's common labels that select nothing stay, so the pod is still found as part of the release.
    Map<String, Object> common = Tree.map(m.statefulSet(), "metadata.labels");
    for (String key : List.of("helm.sh/chart", "app.kubernetes.io/instance", "app.kubernetes.io/managed-by",
        "app.kubernetes.io/part-of", "app.kubernetes.io/version")) {
      assertEquals(common.get(key), labels.get(key), key);
    }
    assertEquals("test", labels.get("app.kubernetes.io/component"));
  }

  /**
   * The release's NetworkPolicy does not apply to the test pod (so its egress is not limited to the node's), and its
   * ingress lets the pod in on the HTTP port: from anywhere by default, and by name when the HTTP sources are narrowed.
   */
  @Test
  void theTestPodReachesTheHttpPortUnderTheNetworkPolicy(@TempDir Path dir) throws IOException {
    for (String[] sets : new String[][] {{},
        {"networkPolicy.http.from[0].namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name=monitoring"}}) {
      Path copy = Files.createDirectories(dir.resolve("sets" + sets.length));
      Manifests m = ChartRender.withTestPod(copy, "north", sets);
      Map<String, Object> labels = Tree.map(m.named("Pod", "-test-alert"), "metadata.labels");
      Map<String, Object> policy = m.one("NetworkPolicy");
      Map<String, Object> applied = Tree.map(policy, "spec.podSelector.matchLabels");
      assertFalse(labels.entrySet().containsAll(applied.entrySet()), "the NetworkPolicy does not apply to the test pod");

      int httpPort = m.containerPort("http");
      Map<String, Object> http = Tree.<Map<String, Object>>list(policy, "spec.ingress").stream()
          .filter(r -> Tree.<Map<String, Object>>list(r, "ports").stream().anyMatch(p -> ((Number) p.get("port")).intValue() == httpPort))
          .findFirst().orElseThrow();
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> from = (List<Map<String, Object>>) Tree.at(http, "from");
      boolean admitted = from == null || from.stream().anyMatch(peer -> peer.get("namespaceSelector") == null
          && peer.get("ipBlock") == null && peer.get("podSelector") != null
          && labels.entrySet().containsAll(Tree.map(peer, "podSelector.matchLabels").entrySet()));
      assertTrue(admitted, String.join(" ", sets) + ": the HTTP port's sources " + from + " admit the test pod " + labels);
    }
  }

  private static void answer(com.sun.net.httpserver.HttpExchange x, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(200, bytes.length);
    try (var out = x.getResponseBody()) {
      out.write(bytes);
    }
  }
}
