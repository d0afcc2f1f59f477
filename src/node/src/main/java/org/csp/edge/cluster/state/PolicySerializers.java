package org.csp.edge.cluster.state;

import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.CodeMode;
import org.csp.edge.decision.CodePolicy;
import org.csp.edge.decision.DmcRule;
import org.csp.edge.decision.DmcRules;
import org.csp.edge.decision.RegionalDetection;
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
          in.readInt32("maxDevicesPerHub"), in.readInt32("maxCodesPerHub"), dmcs(in), inhibitions(in));
    }

    /**
     * {@code policy.dmcs}, added after 0.1.0 (absent: none), flat: the entries' fields side by side, then every
     * entry's resolved rules per code, each naming its entry by index.
     */
    private static DmcRules dmcs(CompactReader in) {
      if (!Absent.has(in, "dmcManufacturers")) return DmcRules.NONE;
      String[] manufacturers = in.readArrayOfString("dmcManufacturers");
      String[] models = in.readArrayOfString("dmcModels");
      String[] firmwares = in.readArrayOfString("dmcFirmwares");
      CodePolicy[] rules = in.readArrayOfCompact("dmcRules", CodePolicy.class);
      int[] owners = in.readArrayOfInt32("dmcCodeEntries");
      String[] codeNames = in.readArrayOfString("dmcCodeNames");
      CodePolicy[] codePolicies = in.readArrayOfCompact("dmcCodePolicies", CodePolicy.class);
      List<DmcRule> entries = new ArrayList<>();
      for (int i = 0; i < manufacturers.length; i++) {
        Map<String, CodePolicy> codes = new TreeMap<>();
        for (int j = 0; j < owners.length; j++) if (owners[j] == i) codes.put(codeNames[j], codePolicies[j]);
        entries.add(new DmcRule(manufacturers[i], models[i], firmwares[i], rules[i], codes));
      }
      return new DmcRules(entries);
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
      List<DmcRule> entries = p.dmcs().rules();
      List<Integer> owners = new ArrayList<>();
      List<String> codeNames = new ArrayList<>();
      List<CodePolicy> codePolicies = new ArrayList<>();
      for (int i = 0; i < entries.size(); i++) {
        for (Map.Entry<String, CodePolicy> e : new TreeMap<>(entries.get(i).codes()).entrySet()) {
          owners.add(i);
          codeNames.add(e.getKey());
          codePolicies.add(e.getValue());
        }
      }
      out.writeArrayOfString("dmcManufacturers", entries.stream().map(DmcRule::manufacturer).toArray(String[]::new));
      out.writeArrayOfString("dmcModels", entries.stream().map(DmcRule::model).toArray(String[]::new));
      out.writeArrayOfString("dmcFirmwares", entries.stream().map(DmcRule::firmware).toArray(String[]::new));
      out.writeArrayOfCompact("dmcRules", entries.stream().map(DmcRule::rule).toArray(CodePolicy[]::new));
      out.writeArrayOfInt32("dmcCodeEntries", owners.stream().mapToInt(Integer::intValue).toArray());
      out.writeArrayOfString("dmcCodeNames", codeNames.toArray(new String[0]));
      out.writeArrayOfCompact("dmcCodePolicies", codePolicies.toArray(new CodePolicy[0]));
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
          in.readInt32("regionalRelease"), millis(in, "groupWaitMillis"), regional(in));
    }

    /** Added after 0.1.0, whose policies meant the fixed threshold: absent, that is what they read as. */
    private static RegionalDetection regional(CompactReader in) {
      RegionalDetection fixed = RegionalDetection.FIXED;
      if (!Absent.has(in, "regionalDetection")) return fixed;
      return new RegionalDetection(RegionalDetection.Mode.valueOf(in.readString("regionalDetection")),
          Absent.float64(in, "regionalFactor", fixed.factor()), Absent.float64(in, "regionalReleaseFactor", fixed.releaseFactor()),
          Duration.ofMillis(Absent.int64(in, "regionalHalfLifeMillis", fixed.halfLife().toMillis())),
          Duration.ofMillis(Absent.int64(in, "regionalBurstHalfLifeMillis", fixed.burstHalfLife().toMillis())),
          Duration.ofMillis(Absent.int64(in, "regionalWarmUpMillis", fixed.warmUp().toMillis())));
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
      RegionalDetection r = p.regional();
      out.writeString("regionalDetection", r.mode().name());
      out.writeFloat64("regionalFactor", r.factor());
      out.writeFloat64("regionalReleaseFactor", r.releaseFactor());
      out.writeInt64("regionalHalfLifeMillis", r.halfLife().toMillis());
      out.writeInt64("regionalBurstHalfLifeMillis", r.burstHalfLife().toMillis());
      out.writeInt64("regionalWarmUpMillis", r.warmUp().toMillis());
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
