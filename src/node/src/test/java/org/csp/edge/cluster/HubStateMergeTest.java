package org.csp.edge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.csp.edge.config.ConfigException;
import org.csp.edge.config.PolicyJson;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubEvent;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.RegionalGate;
import org.csp.edge.decision.TestAlerts;
import org.junit.jupiter.api.Test;

/** The merge of a healed split ({@link HubStateMerge}) and the quorum's configuration ({@link ClusterConfigs}). */
class HubStateMergeTest {
  private static final AlertPolicy POLICY = PolicyJson.read(new JsonObject()
      .put("defaults", new JsonObject().put("stormThreshold", 50).put("stormWindow", "10s")));
  private static final long NOW = 1_700_000_000_000L;
  private final HubStateMerge merge = new HubStateMerge();
  private long operation;

  /** Two copies of one hub as a split finds them: the same operations on both. */
  private HubState[] splitCopies() {
    HubState[] copies = {new HubState(), new HubState()};
    for (HubState copy : copies) {
      alert(copy, 1, 1);
      alert(copy, 2, 2);
    }
    return copies;
  }

  private void alert(HubState hub, long op, long counter) {
    hub.apply(TestAlerts.HUB, op, List.of(TestAlerts.alert(TestAlerts.HUB, TestAlerts.GPF, "8F3E", counter, NOW + counter)),
        NOW + counter, POLICY, RegionalGate.NEVER);
  }

  @Test
  void theLargerSidesCopyIsKeptWhole() {
    HubState[] copies = splitCopies();
    HubState majority = copies[0];
    alert(majority, 10, 3);
    majority.delivered(java.util.Set.of(majority.waiting().get(0).eventId()));
    HubState stale = copies[1];
    assertSame(majority, merge.merge(value(stale), value(majority)), "the larger side decided: its copy is kept");
    List<String> ids = majority.waiting().stream().map(HubEvent::eventId).toList();
    assertEquals(2, ids.size(), "the event the majority delivered does not come back: " + ids);
  }

  @Test
  void aHubOnlyOneSideHoldsIsKept() {
    HubState only = splitCopies()[0];
    assertSame(only, merge.merge(value(only), null));
  }

  /**
   * A member cut off that decided before it noticed the cut (never acknowledged: its backup did not answer) changed
   * its copy more than the larger side: nothing of it is kept, not a forwarded alert (its resend was decided by the
   * larger side) and not a summary (the larger side publishes that period with its own count, under the same id).
   */
  @Test
  void whatTheSmallerSideDecidedUnacknowledgedIsNotAdded() {
    AlertPolicy storms = PolicyJson.read(new JsonObject().put("defaults", new JsonObject().put("stormThreshold", 2)
        .put("releaseThreshold", 1).put("stormWindow", "10s").put("summaryPeriod", "1s").put("quietPeriod", "1h")));
    HubState larger = new HubState();
    HubState smaller = new HubState();
    for (HubState copy : new HubState[] {larger, smaller}) {
      for (long c = 1; c <= 3; c++) {
        copy.apply(TestAlerts.HUB, c, List.of(TestAlerts.alert(TestAlerts.HUB, TestAlerts.GPF, "8F3E", c, NOW + c)),
            NOW + c, storms, RegionalGate.NEVER);
      }
    }
    for (long c = 4; c <= 6; c++) {
      smaller.apply(TestAlerts.HUB, c, List.of(TestAlerts.alert(TestAlerts.HUB, TestAlerts.GPF, "8F3E", c, NOW + c)),
          NOW + c, storms, RegionalGate.NEVER);
    }
    smaller.settle(TestAlerts.HUB, NOW + 2_000, storms, false);
    assertTrue(smaller.version() > larger.version());
    assertTrue(smaller.waiting().stream().anyMatch(e -> e.eventId().startsWith("summary:")), "the smaller side raised a summary");
    List<String> before = larger.waiting().stream().map(HubEvent::eventId).toList();
    assertSame(larger, merge.merge(value(smaller), value(larger)));
    assertEquals(before, larger.waiting().stream().map(HubEvent::eventId).toList(), "nothing of the smaller side added");
  }

  @Test
  void aQuorumProtectsTheHubMapAndTheGroupRecords() {
    Config config = new Config();
    config.setProperty(ClusterConfigs.QUORUM_PROPERTY, "2");
    ClusterConfigs.protectWithQuorum(config, "test");
    SplitBrainProtectionConfig quorum = config.getSplitBrainProtectionConfig(Quorum.NAME);
    assertEquals(2, quorum.getMinimumClusterSize());
    assertEquals(SplitBrainProtectionOn.READ_WRITE, quorum.getProtectOn());
    assertEquals(Quorum.NAME, config.getMapConfig(HubStateStore.MAP_NAME).getSplitBrainProtectionName());
    assertEquals(Quorum.NAME, config.getMapConfig(SealedGroup.MAP_NAME).getSplitBrainProtectionName());
    assertEquals(2, Quorum.required(config));

    Config none = new Config();
    none.setProperty(ClusterConfigs.QUORUM_PROPERTY, "1");
    ClusterConfigs.protectWithQuorum(none, "test");
    assertEquals(1, Quorum.required(none));
    assertEquals(null, none.getMapConfig(HubStateStore.MAP_NAME).getSplitBrainProtectionName());

    for (String wrong : List.of("0", "half", "-1")) {
      Config bad = new Config();
      bad.setProperty(ClusterConfigs.QUORUM_PROPERTY, wrong);
      assertThrows(ConfigException.class, () -> ClusterConfigs.protectWithQuorum(bad, "test"), wrong);
    }
  }

  private static MergingValue<HubState> value(HubState hub) {
    return new MergingValue<>() {
      @Override
      public HubState getValue() {
        return hub;
      }

      @Override
      public Object getRawValue() {
        return hub;
      }
    };
  }
}
