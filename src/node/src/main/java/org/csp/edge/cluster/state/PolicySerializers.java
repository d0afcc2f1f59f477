package org.csp.edge.cluster.state;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.CodeMode;
import org.csp.edge.decision.CodePolicy;
import org.csp.edge.decision.Inhibition;

/** The policy in force, which every hub operation carries: durations in milliseconds, the mode by name. */
public final class PolicySerializers {
  private PolicySerializers() {}

  public static final class OfAlertPolicy implements CompactSerializer<AlertPolicy> {
    @Override
    public AlertPolicy read(CompactReader in) {
      String[] names = in.readArrayOfString("codeNames");
      CodePolicy[] policies = in.readArrayOfCompact("codePolicies", CodePolicy.class);
      Map<String, CodePolicy> codes = new TreeMap<>();
      for (int i = 0; i < names.length; i++) codes.put(names[i], policies[i]);
      return new AlertPolicy(in.readCompact("defaults"), codes, Duration.ofMillis(in.readInt64("duplicateRetentionMillis")),
          in.readInt32("duplicateMemoryPerDevice"), in.readInt32("maxHubsPerGroup"), in.readInt32("maxDevicesPerSummary"),
          in.readInt32("maxDevicesPerHub"), in.readInt32("maxCodesPerHub"), inhibitions(in));
    }

    @Override
    public void write(CompactWriter out, AlertPolicy p) {
      Map<String, CodePolicy> codes = new TreeMap<>(p.codes());
      out.writeCompact("defaults", p.defaults());
      out.writeArrayOfString("codeNames", codes.keySet().toArray(new String[0]));
      out.writeArrayOfCompact("codePolicies", codes.values().toArray(new CodePolicy[0]));
      out.writeInt64("duplicateRetentionMillis", p.duplicateRetention().toMillis());
      out.writeInt32("duplicateMemoryPerDevice", p.duplicateMemoryPerDevice());
      out.writeInt32("maxHubsPerGroup", p.maxHubsPerGroup());
      out.writeInt32("maxDevicesPerSummary", p.maxDevicesPerSummary());
      out.writeInt32("maxDevicesPerHub", p.maxDevicesPerHub());
      out.writeInt32("maxCodesPerHub", p.maxCodesPerHub());
      // Added after 0.1.0: a policy from a release without it has no inhibition rules.
      out.writeArrayOfCompact("inhibitions", p.inhibitions().toArray(new Inhibition[0]));
    }

    private static List<Inhibition> inhibitions(CompactReader in) {
      if (!Absent.has(in, "inhibitions")) return List.of();
      Inhibition[] rules = in.readArrayOfCompact("inhibitions", Inhibition.class);
      return rules == null ? List.of() : List.of(rules);
    }

    @Override
    public String getTypeName() {
      return "csp.AlertPolicy";
    }

    @Override
    public Class<AlertPolicy> getCompactClass() {
      return AlertPolicy.class;
    }
  }

  public static final class OfCodePolicy implements CompactSerializer<CodePolicy> {
    @Override
    public CodePolicy read(CompactReader in) {
      return new CodePolicy(CodeMode.valueOf(in.readString("mode")), in.readInt32("stormThreshold"),
          millis(in, "stormWindowMillis"), in.readInt32("releaseThreshold"), millis(in, "quietPeriodMillis"),
          millis(in, "summaryPeriodMillis"), in.readInt32("regionalThreshold"), millis(in, "regionalWindowMillis"),
          in.readInt32("regionalRelease"), millis(in, "groupWaitMillis"));
    }

    @Override
    public void write(CompactWriter out, CodePolicy p) {
      out.writeString("mode", p.mode().name());
      out.writeInt32("stormThreshold", p.stormThreshold());
      out.writeInt64("stormWindowMillis", p.stormWindow().toMillis());
      out.writeInt32("releaseThreshold", p.releaseThreshold());
      out.writeInt64("quietPeriodMillis", p.quietPeriod().toMillis());
      out.writeInt64("summaryPeriodMillis", p.summaryPeriod().toMillis());
      out.writeInt32("regionalThreshold", p.regionalThreshold());
      out.writeInt64("regionalWindowMillis", p.regionalWindow().toMillis());
      out.writeInt32("regionalRelease", p.regionalRelease());
      out.writeInt64("groupWaitMillis", p.groupWait().toMillis());
    }

    private static Duration millis(CompactReader in, String field) {
      return Duration.ofMillis(in.readInt64(field));
    }

    @Override
    public String getTypeName() {
      return "csp.CodePolicy";
    }

    @Override
    public Class<CodePolicy> getCompactClass() {
      return CodePolicy.class;
    }
  }
}
