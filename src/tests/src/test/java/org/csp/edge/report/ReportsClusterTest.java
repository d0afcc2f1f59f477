package org.csp.edge.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.csp.edge.Node;
import org.csp.edge.support.Await;
import org.csp.edge.support.InJvmCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a cluster of three members, each with its own embedded store, any member answers for the whole region: the
 * alerts each member received appear, exactly counted, in every member's report; and a member that joins later
 * catches up on what the others counted before it came.
 */
class ReportsClusterTest {
  private static InJvmCluster cluster;
  private static ReportCalls calls;

  @BeforeAll
  static void start() {
    calls = new ReportCalls();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) cluster.close();
    if (calls != null) calls.close();
  }

  @Test
  void anyMemberAnswersForTheRegion() throws Exception {
    cluster = new InJvmCluster(null).rollups(new JsonObject().put("flushInterval", "200ms")).start(2);
    List<Node> nodes = cluster.nodes();
    int sent = 0;
    for (int m = 0; m < nodes.size(); m++) {
      JsonArray batch = new JsonArray();
      for (int h = 0; h < 5; h++) batch.add(ReportCalls.alert(m * 10 + h, "8F3E", 1, "M" + m));
      calls.post(nodes.get(m).httpPort(), batch);
      sent += batch.size();
    }
    int all = sent;
    for (Node n : nodes) {
      Await.until(() -> calls.totalIs(n.httpPort(), all), Duration.ofSeconds(30),
          () -> n.config().nodeId() + " reports " + ReportCalls.uncheck(() -> calls.byOutcome(n.httpPort())));
    }
    assertEquals(all, cluster.sum("received"), "what the members received");

    Node late = cluster.add();
    Await.until(() -> calls.totalIs(late.httpPort(), all), Duration.ofSeconds(30),
        () -> "the member that joined later reports " + ReportCalls.uncheck(() -> calls.byOutcome(late.httpPort())));
  }
}
