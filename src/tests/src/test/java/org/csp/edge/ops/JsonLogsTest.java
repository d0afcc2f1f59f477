package org.csp.edge.ops;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.csp.edge.support.NodeProcess;
import org.csp.edge.support.TestNodes;
import org.junit.jupiter.api.Test;

/**
 * NODE_LOG_FORMAT=json (the chart's default) gives one JSON object per line, each with the node's region and id once
 * it has them, from the node's own process. Before, a static logger created before main had configured
 * logback already, and every line came out as text.
 */
class JsonLogsTest {
  /**
   * Logback's own status lines, which it prints when its configuration warns: here because the test classpath has the
   * simulator's logback.xml beside the node's (the node's jar has one).
   */
  private static final java.util.regex.Pattern LOGBACK_STATUS = java.util.regex.Pattern.compile("^\\d\\d:\\d\\d:\\d\\d,\\d{3} \\|-");

  @Test
  void theNodeLogsOneJsonObjectPerLine() throws Exception {
    JsonObject config = TestNodes.config(null);
    config.getJsonObject("node").put("region", "north");
    try (NodeProcess node = NodeProcess.start("json-logs", config, Map.of("NODE_LOG_FORMAT", "json"))
        .awaitReady(Duration.ofSeconds(60))) {
      node.terminate();
      List<String> lines = Files.readAllLines(node.logFile()).stream()
          .filter(l -> !l.isBlank() && !l.startsWith(NodeProcess.HEADER) && !LOGBACK_STATUS.matcher(l).find()).toList();
      assertTrue(lines.size() >= 3, "the node logged its start and stop: " + lines);
      boolean identified = false;
      for (String line : lines) {
        JsonObject entry;
        try {
          entry = new JsonObject(line);
        } catch (DecodeException e) {
          fail("a log line that is not JSON: " + line);
          return;
        }
        assertTrue(entry.containsKey("level") && entry.containsKey("formattedMessage"), line);
        JsonObject properties = entry.getJsonObject("context", new JsonObject()).getJsonObject("properties", new JsonObject());
        identified |= "north".equals(properties.getString("region")) && properties.getString("nodeId") != null;
      }
      assertTrue(identified, "lines carry the region and node id: " + lines);
    }
  }
}
