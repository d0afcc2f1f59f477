package org.csp.edge.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import java.util.ArrayList;
import java.util.List;
import org.csp.edge.cluster.state.AlertSerializers;
import org.csp.edge.cluster.state.EventSerializers;
import org.csp.edge.cluster.state.HubStateSerializers;
import org.csp.edge.cluster.state.MutingSerializers;
import org.csp.edge.cluster.state.PolicySerializers;

/**
 * The one place where everything that crosses members gets its Compact serializer (the types, their names and the
 * evolution rule: org.csp.edge.cluster.state's package-info). Every member's configuration goes through
 * {@link ClusterConfigs#memberConfig}, which calls {@link #register}.
 */
public final class ClusterSerializers {
  private ClusterSerializers() {}

  public static void register(Config config) {
    register(config, all());
  }

  /** Registers {@code serializers} in place of any registered before (a test gives one member another release's). */
  public static void register(Config config, List<CompactSerializer<?>> serializers) {
    config.getSerializationConfig().getCompactSerializationConfig()
        .setSerializers(serializers.toArray(new CompactSerializer<?>[0]));
  }

  /** Every serializer of this release. */
  public static List<CompactSerializer<?>> all() {
    List<CompactSerializer<?>> all = new ArrayList<>(List.of(
        new HubStateSerializers.OfHubState(), new HubStateSerializers.OfOpenStorm(), new HubStateSerializers.OfGroupShare(),
        new HubStateSerializers.OfSealedShare(), new EventSerializers.OfWaiting(), new EventSerializers.OfForwardedAlert(),
        new EventSerializers.OfStormStarted(), new EventSerializers.OfStormSummary(), new EventSerializers.OfStormEnded(),
        new EventSerializers.OfDeviceCount(), new AlertSerializers.OfAlert(), new AlertSerializers.OfDmc(),
        new PolicySerializers.OfAlertPolicy(), new PolicySerializers.OfCodePolicy(), new MutingSerializers.OfSilence(),
        new MutingSerializers.OfInhibition(), new MutingSerializers.OfInhibitionSource(),
        new MutingSerializers.OfHeldPeriod()));
    all.addAll(OperationSerializers.all());
    return all;
  }
}
