package org.csp.edge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Which members are on their way out. A stopping member is the last one, and must flush every open count and keep
 * what is undelivered, when every other member is leaving too. The member list alone cannot say so: it still names
 * a member for a moment after that member's graceful stop returned (so the next one to stop would not see itself
 * last), and it names every member when a whole release is stopped at once. All methods block: call them from a
 * worker.
 */
public final class LeavingMembers {
  public static final String MAP_NAME = "csp-members-leaving";
  /** Longer than any graceful stop; a member that comes back has a new id, so old entries only need to expire. */
  private static final Duration REMEMBERED = Duration.ofHours(1);
  private static final Duration POLL = Duration.ofMillis(50);

  private final HazelcastInstance member;

  public LeavingMembers(HazelcastInstance member) {
    this.member = member;
  }

  /**
   * Creates the map on this member as it starts. The quorum's listener of announcements ({@link MembersQuorum}) is
   * configured on the map and registered with its proxy: created only when a member first announced its leaving, on
   * the others as a consequence of that write, the listeners could miss that very announcement, and the member left
   * behind lost its quorum as the other went (seen with two members, quorum two). Blocking.
   */
  public static void listen(HazelcastInstance member) {
    member.getMap(MAP_NAME);
  }

  /** Records that this member is leaving; true when every other member is leaving too, or none is left. */
  public boolean leave() {
    UUID self = member.getCluster().getLocalMember().getUuid();
    leaving().put(self, System.currentTimeMillis(), REMEMBERED.toMillis(), TimeUnit.MILLISECONDS);
    for (Member m : member.getCluster().getMembers()) {
      if (!m.localMember() && !leaving().containsKey(m.getUuid())) return false;
    }
    return true;
  }

  /**
   * Waits until this member is alone and no partition is migrating any more, at most {@code patience}: the members
   * that are leaving hand their partitions over first, and the last member must see them all before it flushes.
   * When the whole cluster stops at once nobody ends up alone; then the time runs out and each flushes its own.
   */
  public void awaitAlone(Duration patience) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      if (member.getCluster().getMembers().size() == 1 && member.getPartitionService().isClusterSafe()) return;
      Thread.sleep(POLL.toMillis());
    }
  }

  private IMap<UUID, Long> leaving() {
    return member.getMap(MAP_NAME);
  }
}
