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
  void theSideThatChangedTheHubIsKeptWhole() {
    HubState[] copies = splitCopies();
    HubState majority = copies[0];
    alert(majority, 10, 3);
    majority.delivered(java.util.Set.of(majority.waiting().get(0).eventId()));
    HubState stale = copies[1];
    assertSame(majority, merge.merge(value(stale), value(majority)), "the majority changed it: its copy is kept");
    assertSame(majority, merge.merge(value(majority), value(stale)), "whichever side merges into which");
    // The stale copy still waits for the event the majority delivered: it comes back once, the same event (same id,
    // same count), a repeat the DSP drops. Nothing the majority decided is undone.
    List<String> ids = majority.waiting().stream().map(HubEvent::eventId).toList();
    assertEquals(3, ids.size(), ids.toString());
    assertEquals(3, ids.stream().distinct().count(), "each event once");
  }

  @Test
  void aHubOnlyOneSideHoldsIsKept() {
    HubState only = splitCopies()[0];
    assertSame(only, merge.merge(value(only), null));
  }

  @Test
  void whenBothSidesChangedNoWaitingEventIsDropped() {
    HubState[] copies = splitCopies();
    alert(copies[0], 10, 3);
    alert(copies[0], 11, 4);
    alert(copies[1], 20, 5);
    HubState merged = (HubState) merge.merge(value(copies[1]), value(copies[0]));
    List<String> ids = merged.waiting().stream().map(HubEvent::eventId).toList();
    assertEquals(5, ids.size(), "2 from before the split, 2 from one side, 1 from the other: " + ids);
    assertEquals(5, ids.stream().distinct().count(), "each event once");
    assertTrue(merged.version() > copies[1].version());
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
