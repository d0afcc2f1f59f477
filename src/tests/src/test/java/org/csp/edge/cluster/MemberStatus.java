package org.csp.edge.cluster;

import org.csp.edge.Node;

/** What a member's /v1/status says of the cluster, as the split-brain tests read it. */
final class MemberStatus {
  private MemberStatus() {}

  static int members(Node n) {
    return n.status().toJson().getInteger("clusterMembers");
  }

  static boolean quorum(Node n) {
    return n.status().toJson().getJsonObject("quorum").getBoolean("present");
  }
}
