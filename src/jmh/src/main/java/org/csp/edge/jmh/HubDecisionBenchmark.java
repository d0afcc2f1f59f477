package org.csp.edge.jmh;

import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.AlertParser;
import org.csp.edge.cluster.DecideAlertsOperation;
import org.csp.edge.cluster.ClusterSerializers;
import org.csp.edge.cluster.HubStateStore;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.HubState;
import org.csp.edge.decision.HubVerdicts;
import org.csp.edge.decision.RegionalGate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The decision on shared state: a hub's state applied in memory (the logic alone), and the same through a
 * single-member Hazelcast map (what the node pays per hub operation: partition hop and result serialisation).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HubDecisionBenchmark {
  private final AlertPolicy policy = AlertPolicy.DEFAULTS;
  private HubState storming;
  private HazelcastInstance hazelcast;
  private com.hazelcast.map.IMap<String, HubState> hubs;
  private Alert template;
  private long counter;
  private long now = 1_700_000_000_000L;

  @Setup(Level.Trial)
  public void setUp() {
    byte[] json = AlertParsingBenchmark.alert(1).encode().getBytes();
    template = new AlertParser(1 << 20, 1 << 14).parseJson(json, null).alerts().get(0);
    storming = new HubState();
    Config config = new Config().setClusterName("jmh-" + System.nanoTime());
    config.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
    config.addMapConfig(new MapConfig(HubStateStore.MAP_NAME).setInMemoryFormat(InMemoryFormat.OBJECT));
    ClusterSerializers.register(config); // as every member: hub state and operations are Compact
    hazelcast = Hazelcast.newHazelcastInstance(config);
    hubs = hazelcast.getMap(HubStateStore.MAP_NAME);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    hazelcast.shutdown();
  }

  private List<Alert> next() {
    now += 10;
    Alert a = template;
    return List.of(new Alert(a.hubId(), a.deviceId(), a.deviceType(), a.alertCode(), ++counter, a.raisedAt(),
        a.raisedAtMillis(), a.dmc(), a.payload()));
  }

  /** The decision logic alone, on a hub deep in a storm (every alert consolidated). */
  @Benchmark
  public HubState.Outcome inMemoryStormingHub() {
    HubState.Outcome o = storming.apply(template.hubId(), counter, next(), now, policy, RegionalGate.NEVER);
    storming.delivered(java.util.Set.of()); // nothing waits in a deep storm; keeps the state's size steady
    return o;
  }

  /** The same decision as the node makes it: an entry processor on the hub's key, result back as data. */
  @Benchmark
  public HubVerdicts throughHazelcast() throws Exception {
    return new HubVerdicts(hubs.submitToKey(template.hubId(), new DecideAlertsOperation(counter, next(), now, policy))
        .toCompletableFuture().get());
  }
}
