package org.csp.edge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backups of each hub are the owning member's setting ({@code NODE_HUB_BACKUPS}, read from its own cluster
 * configuration), and Hazelcast does not compare it between members: a member that joins with fewer keeps fewer
 * copies of the hubs it owns, and its death loses them without a partition being reported lost. Each member
 * declares its setting as a member attribute, and says at ERROR when the members it sees disagree: at its start, and
 * whenever a member joins.
 */
public final class HubCopies {
  static final String ATTRIBUTE = "csp.hub.backups";
  private static final Logger log = LoggerFactory.getLogger(HubCopies.class);

  private HubCopies() {}

  /** Declares this member's backups of the hub map, for the others to compare. */
  static void declare(Config config) {
    MapConfig map = config.getMapConfig(HubStateStore.MAP_NAME);
    config.getMemberAttributeConfig().setAttribute(ATTRIBUTE, String.valueOf(map.getBackupCount() + map.getAsyncBackupCount()));
  }

  /** Checks the members now and at every join. */
  public static void watch(HazelcastInstance member) {
    check(member);
    member.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        check(member);
      }

      @Override
      public void memberRemoved(MembershipEvent event) {}
    });
  }

  private static void check(HazelcastInstance member) {
    Member self = member.getCluster().getLocalMember();
    List<String> others = disagreeing(self, member.getCluster().getMembers());
    if (others.isEmpty()) return;
    log.error("members keep different numbers of backups of each hub: this member {} (NODE_HUB_BACKUPS), {}. A hub owned"
        + " by a member that keeps fewer is lost if that member dies (without a partition reported lost); give every"
        + " member the same NODE_HUB_BACKUPS (while a rollout changes it, until the last member has the new value)",
        self.getAttribute(ATTRIBUTE), String.join(", ", others));
  }

  /** The members whose declared backups differ from {@code self}'s, each as "address keeps n". */
  static List<String> disagreeing(Member self, Iterable<Member> members) {
    List<String> out = new ArrayList<>();
    for (Member m : members) {
      String theirs = m.getAttribute(ATTRIBUTE);
      if (!m.localMember() && !Objects.equals(theirs, self.getAttribute(ATTRIBUTE))) {
        out.add("member " + m.getAddress() + " keeps " + (theirs == null ? "an undeclared number (an earlier release)" : theirs));
      }
    }
    return out;
  }
}
