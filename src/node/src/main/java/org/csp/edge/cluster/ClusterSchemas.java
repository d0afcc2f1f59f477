package org.csp.edge.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Dmc;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.RegionalAnswers;
import org.csp.edge.decision.RegionalGate;
import org.csp.edge.decision.Silence;

/**
 * Makes the Compact schemas of what crosses members known to the whole cluster when a member starts, before its
 * first alert. A member tells the cluster a schema the first time it serializes the type, with a remote call; when
 * that first time is an invocation that Hazelcast sends again from its invocation monitor (a partition migrating
 * under a decision), the call is not allowed on that thread and the decision fails ("cannot make remote call:
 * PrepareSchemaReplicationOperation"), or never answers until its operation times out. Seen with traffic while
 * partitions migrate (BurstDuringMigrationTest). Schemas already known to the cluster cost nothing here.
 */
public final class ClusterSchemas {
  private ClusterSchemas() {}

  /** Blocking (replication waits for the members): call it from a worker. */
  public static void share(HazelcastInstance member, AlertPolicy policy) {
    if (!(member instanceof SerializationServiceSupport support)) return;
    SerializationService serialization = support.getSerializationService();
    for (Object sample : samples(policy)) serialization.toData(sample);
  }

  /** One of each operation and task, with the alert, policy and hub state they carry. */
  static List<Object> samples(AlertPolicy policy) {
    String hub = "00-00-00-00-00-00-00-00";
    Alert alert = new Alert(hub, "00-00-00-00-00-00-00-01", "ESME", "8F3E", 0, "1970-01-01T00:00:00Z", 0,
        new Dmc("sample", "sample", "sample"), "");
    List<Alert> alerts = List.of(alert);
    HubState state = new HubState();
    state.apply(hub, 0, alerts, 0, policy, RegionalGate.NEVER); // a tracked hub with an event waiting
    // A silence that holds the sample alert: the silences an operation carries, and a hub's held period.
    List<Silence> silences = List.of(new Silence("sample", "8F3E", hub, null, "sample", "*", null, 0, Long.MAX_VALUE));
    HubState muted = new HubState();
    muted.apply(hub, 0, alerts, 0, policy, silences, RegionalGate.NEVER);
    ShareStepOperation step = new ShareStepOperation(ShareStepOperation.Step.SEAL, "8F3E", "group", "member", policy);
    return List.of(
        new DecideAlertsOperation(0, alerts, 0, policy, silences),
        DecideAlertsOperation.restored(0, alerts, 0, policy, silences, RegionalAnswers.NONE),
        new DecideOnOwnerTask(new String[] {hub}, new long[] {0}, List.of(alerts), 0, policy, silences),
        step,
        new ShareStepsOnOwnerTask(new String[] {hub}, step),
        new SettleHubOperation(0, policy, false),
        new AnnounceWaitingOperation(policy),
        new DeliveredEventsOperation(Map.of(hub, Set.of("event")), policy),
        new ForgetIdleHubsOperation(0),
        new ForgetIdleHubsOperation.Idle(0),
        new NeedsAttention(policy),
        state,
        muted);
  }
}
