package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.impl.MemberImpl;
import com.hazelcast.config.Config;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryEventType;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.csp.edge.config.ConfigException;
import org.junit.jupiter.api.Test;

/**
 * The quorum as a member judges it between heartbeats: three members, quorum 2, heartbeats every second, five
 * seconds tolerated, on a clock the test moves. Hazelcast asks the function again every heartbeat interval; the
 * test does the same.
 */
class MembersQuorumTest {
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration TOLERANCE = Duration.ofSeconds(5);

  private long nanos = 1_000_000_000L;
  private final Member self = member(5701, true);
  private final Member b = member(5702, false);
  private final Member c = member(5703, false);
  private final List<Member> all = List.of(self, b, c);
  private final MembersQuorum quorum = new MembersQuorum(2, TOLERANCE, INTERVAL, () -> nanos);

  @Test
  void aMemberThatHearsNoOneLosesTheQuorumAfterTheToleranceThoughTheMemberListStillHasEveryone() {
    assertTrue(quorum.apply(all), "every member just seen");
    for (int second = 1; second < 5; second++) {
      tick();
      assertTrue(quorum.apply(all), "unheard for " + second + " s: still within the tolerance");
    }
    tick();
    assertFalse(quorum.apply(all), "unheard for 5 s: only itself counts, with three members in its list");
    quorum.onHeartbeat(b, 0);
    assertTrue(quorum.apply(all), "heard again: the quorum is back");
  }

  @Test
  void oneMemberHeardIsEnoughForAQuorumOfTwo() {
    for (int second = 0; second < 30; second++) {
      tick();
      quorum.onHeartbeat(c, 0);
      assertTrue(quorum.apply(all), "at " + second + " s");
    }
  }

  @Test
  void thisMembersOwnPauseIsNotTheOthersSilence() {
    quorum.onHeartbeat(b, 0);
    quorum.onHeartbeat(c, 0);
    nanos += Duration.ofSeconds(20).toNanos(); // a GC pause, or a starved process: nothing ran here
    assertTrue(quorum.apply(all), "the heartbeats sent meanwhile are still to be read");
    quorum.onHeartbeat(b, 0);
    tick();
    assertTrue(quorum.apply(all));
    for (int second = 0; second < 4; second++) {
      tick();
      quorum.apply(all); // as Hazelcast asks, every heartbeat interval
    }
    tick();
    assertFalse(quorum.apply(all), "silence after the pause counts as usual");
  }

  @Test
  void aMemberJustJoinedHasOneToleranceToBeHeard() {
    for (int second = 0; second < 10; second++) {
      tick();
      quorum.apply(List.of(self, b));
    }
    assertFalse(quorum.apply(List.of(self, b)), "b unheard for 9 s");
    assertTrue(quorum.apply(all), "c just joined: it counts until it has been unheard for the tolerance");
  }

  @Test
  void membersThatAnnouncedTheirLeavingCountHeardOrNotPresentOrGone() {
    quorum.announcements().entryAdded(leaving(b));
    quorum.announcements().entryAdded(leaving(c));
    for (int second = 0; second < 10; second++) tick();
    assertTrue(quorum.apply(all), "leaving, still in the list, unheard");
    assertTrue(quorum.apply(List.of(self)), "gone: the last member can flush");
  }

  @Test
  void theToleranceMustExceedTheHeartbeatIntervalAndTheErrorNamesIt() {
    Config config = new Config().setProperty("hazelcast.heartbeat.interval.seconds", "2");
    assertEquals(Duration.ofSeconds(10), ClusterConfigs.heartbeatTolerance(config, "x.xml"), "unset: five intervals");
    config.setProperty(ClusterConfigs.HEARTBEAT_TOLERANCE_PROPERTY, "3");
    assertEquals(Duration.ofSeconds(3), ClusterConfigs.heartbeatTolerance(config, "x.xml"));
    for (String wrong : List.of("2", "1", "0", "-4", "5s", "lots")) {
      config.setProperty(ClusterConfigs.HEARTBEAT_TOLERANCE_PROPERTY, wrong);
      ConfigException e = assertThrows(ConfigException.class, () -> ClusterConfigs.heartbeatTolerance(config, "x.xml"));
      assertTrue(e.getMessage().contains("csp.cluster.heartbeat.tolerance.seconds")
          && e.getMessage().contains("NODE_CLUSTER_HEARTBEAT_TOLERANCE") && e.getMessage().contains("x.xml")
          && e.getMessage().contains("'" + wrong + "'"), e.getMessage());
    }
  }

  @Test
  void theShippedConfigurationsHearEverySecondAndTolerateFive() {
    for (String file : List.of("cluster-config/local.xml", "cluster-config/kubernetes.xml")) {
      Config config = ClusterConfigs.load(file);
      assertEquals(INTERVAL, ClusterConfigs.heartbeatInterval(config), file);
      assertEquals(TOLERANCE, ClusterConfigs.heartbeatTolerance(config, file), file);
    }
  }

  private void tick() {
    nanos += INTERVAL.toNanos();
  }

  private static Member member(int port, boolean local) {
    try {
      return new MemberImpl.Builder(new Address("127.0.0.1", port)).uuid(UUID.randomUUID()).localMember(local).build();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static EntryEvent<UUID, Long> leaving(Member m) {
    return new EntryEvent<>("csp-members-leaving", m, EntryEventType.ADDED.getType(), m.getUuid(), 0L);
  }
}
