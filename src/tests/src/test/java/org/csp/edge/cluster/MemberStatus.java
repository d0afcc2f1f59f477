package org.csp.edge.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.csp.edge.Node;
import org.csp.edge.sim.DspFeed;

/** What a member's /v1/status says of the cluster, as the split-brain tests read it. */
final class MemberStatus {
  private MemberStatus() {}

  static int members(Node n) {
    return n.status().toJson().getInteger("clusterMembers");
  }

  static boolean quorum(Node n) {
    return n.status().toJson().getJsonObject("quorum").getBoolean("present");
  }

  /** /health/ready's status code. */
  static int ready(HttpClient http, Node node) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.config().httpPort() + "/health/ready"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Each member's view of the cluster, for a failure's message. */
  static String statuses(List<Node> nodes) {
    return nodes.stream().map(n -> n.config().nodeId() + ": members " + members(n) + ", quorum "
        + n.status().toJson().getJsonObject("quorum")).collect(Collectors.joining("; "));
  }

  /** Hubs whose alerts and summaries upstream do not add up to what was acknowledged (regional groups aside). */
  static String differences(DspFeed dsp, long[] acknowledgedByHub, IntFunction<String> hubId) {
    StringBuilder out = new StringBuilder();
    for (int hub = 0; hub < acknowledgedByHub.length; hub++) {
      String id = hubId.apply(hub);
      long counted = dsp.all().stream().filter(e -> id.equals(e.getString("hubId"))).mapToLong(e -> e.getInteger("count")).sum();
      if (counted != acknowledgedByHub[hub]) out.append(id).append(' ').append(acknowledgedByHub[hub]).append('/').append(counted).append(' ');
    }
    return out.toString();
  }
}
