package org.csp.edge.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.CodeMode;
import org.csp.edge.decision.CodePolicy;
import org.csp.edge.decision.DmcRule;
import org.csp.edge.decision.DmcRules;
import org.csp.edge.decision.RegionalDetection;
import org.csp.edge.decision.Inhibition;

/**
 * The {@code policy} section of the configuration, read into the decisions' {@link AlertPolicy} and written back
 * for {@code /v1/policy}. Here, not in the decision package, so that the rules know nothing of JSON or of the
 * configuration's errors: a value the policy refuses becomes a {@link ConfigException} naming its setting.
 */
public final class PolicyJson {
  private PolicyJson() {}

  /** Reads the {@code policy} section; absent settings keep their defaults. */
  public static AlertPolicy read(JsonObject json) {
    if (json == null) return AlertPolicy.DEFAULTS;
    CodePolicy defaults = overridden(CodePolicy.DEFAULTS, json.getJsonObject("defaults", new JsonObject()), "policy.defaults");
    Map<String, CodePolicy> codes = new TreeMap<>();
    JsonObject perCode = json.getJsonObject("codes", new JsonObject());
    for (String code : perCode.fieldNames()) {
      String normalised = code.toUpperCase(Locale.ROOT);
      if (!normalised.matches("[0-9A-F]{4}")) {
        throw new ConfigException("policy.codes: '" + code + "' is not an alert code (4 hex digits, e.g. 8F3E)");
      }
      codes.put(normalised, overridden(defaults, perCode.getJsonObject(code), "policy.codes." + code));
    }
    DmcRules dmcs = dmcs(json.getJsonArray("dmcs", new JsonArray()), defaults, codes);
    JsonObject dup = json.getJsonObject("duplicates", new JsonObject());
    Duration retention =
        dup.containsKey("retention")
            ? Durations.parse(dup.getString("retention"), "policy.duplicates.retention")
            : AlertPolicy.DEFAULTS.duplicateRetention();
    try {
      return new AlertPolicy(
          defaults,
          codes,
          retention,
          dup.getInteger("perDevice", AlertPolicy.DEFAULTS.duplicateMemoryPerDevice()),
          json.getInteger("maxHubsPerGroup", AlertPolicy.DEFAULTS.maxHubsPerGroup()),
          json.getInteger("maxDevicesPerSummary", AlertPolicy.DEFAULTS.maxDevicesPerSummary()),
          json.getInteger("maxDevicesPerHub", AlertPolicy.DEFAULTS.maxDevicesPerHub()),
          json.getInteger("maxCodesPerHub", AlertPolicy.DEFAULTS.maxCodesPerHub()),
          dmcs,
          json.containsKey("inhibitions") ? inhibitions(json.getValue("inhibitions")) : AlertPolicy.DEFAULTS.inhibitions());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /**
   * The policy as a document an operator edits: {@code defaults} whole, and a code's rule only where it differs from
   * them (what a code leaves out comes from the defaults, so a later change of the defaults reaches it); a
   * {@code dmcs} entry likewise ({@link #write(DmcRules, CodePolicy, Map)}). Reading it gives the same policy.
   */
  public static JsonObject write(AlertPolicy policy) {
    JsonObject defaults = write(policy.defaults());
    JsonObject perCode = new JsonObject();
    new TreeMap<>(policy.codes()).forEach((code, p) -> perCode.put(code, differing(write(p), defaults)));
    return new JsonObject()
        .put("defaults", defaults)
        .put("codes", perCode)
        .put(
            "duplicates",
            new JsonObject()
                .put("retention", Durations.format(policy.duplicateRetention()))
                .put("perDevice", policy.duplicateMemoryPerDevice()))
        .put("maxHubsPerGroup", policy.maxHubsPerGroup())
        .put("maxDevicesPerSummary", policy.maxDevicesPerSummary())
        .put("maxDevicesPerHub", policy.maxDevicesPerHub())
        .put("maxCodesPerHub", policy.maxCodesPerHub())
        .put("dmcs", write(policy.dmcs(), policy.defaults(), policy.codes()))
        .put("inhibitions", writeInhibitions(policy.inhibitions()));
  }

  /**
   * The settings a {@code policy.dmcs} entry (and each code inside it) may set: what decides one alert. The rest of a
   * rule times a hub's storm or the region's burst, which span devices of any model, so it stays the code's.
   */
  public static final List<String> DMC_RULE_KEYS = List.of("mode", "stormThreshold", "stormWindow");

  /**
   * Each entry resolved: its rule is the defaults with its fields; for each code named in {@code policy.codes} or
   * in the entry's {@code codes}, the code's rule with the entry's fields, then the entry's fields for the code.
   */
  private static DmcRules dmcs(JsonArray entries, CodePolicy defaults, Map<String, CodePolicy> codes) {
    List<DmcRule> rules = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String where = "policy.dmcs[" + i + "]";
      JsonObject entry = entries.getJsonObject(i);
      JsonObject fields = ruleFields(entry);
      JsonObject perCode = entry.getJsonObject("codes", new JsonObject());
      Map<String, JsonObject> codeFields = new TreeMap<>();
      for (String code : perCode.fieldNames()) codeFields.put(code.toUpperCase(Locale.ROOT), ruleFields(perCode.getJsonObject(code)));
      Map<String, CodePolicy> resolved = new TreeMap<>();
      for (String code : codes.keySet()) resolved.put(code, resolve(codes.get(code), fields, codeFields.get(code), where));
      for (String code : codeFields.keySet()) {
        resolved.put(code, resolve(codes.getOrDefault(code, defaults), fields, codeFields.get(code), where + ".codes." + code));
      }
      rules.add(new DmcRule(entry.getString("manufacturer"), entry.getString("model"), entry.getString("firmware"),
          resolve(defaults, fields, null, where), resolved));
    }
    return new DmcRules(rules);
  }

  private static JsonObject ruleFields(JsonObject json) {
    JsonObject fields = new JsonObject();
    for (String key : DMC_RULE_KEYS) if (json.containsKey(key)) fields.put(key, json.getValue(key));
    return fields;
  }

  /** {@code base} with {@code fields}, then {@code codeFields}; its release (unused: the code's times the storm) kept valid. */
  private static CodePolicy resolve(CodePolicy base, JsonObject fields, JsonObject codeFields, String where) {
    JsonObject merged = fields.copy();
    if (codeFields != null) merged.mergeIn(codeFields);
    int storm = merged.getInteger("stormThreshold", base.stormThreshold());
    if (storm >= 1) merged.put("releaseThreshold", Math.min(base.releaseThreshold(), storm));
    return overridden(base, merged, where);
  }

  /**
   * Each entry with the fields its rule has apart from the defaults, and per code only what differs from what those
   * fields make of the code's own rule: read again, each code resolves as it did, and a code's or the defaults'
   * later change reaches what the entry does not set.
   */
  private static JsonArray write(DmcRules dmcs, CodePolicy defaults, Map<String, CodePolicy> codes) {
    JsonArray out = new JsonArray();
    for (DmcRule r : dmcs.rules()) {
      JsonObject entry = new JsonObject().put("manufacturer", r.manufacturer()).put("model", r.model()).put("firmware", r.firmware());
      JsonObject fields = differing(ruleFields(write(r.rule())), ruleFields(write(defaults)));
      entry.mergeIn(fields);
      JsonObject perCode = new JsonObject();
      new TreeMap<>(r.codes()).forEach((code, p) -> {
        JsonObject own = ruleFields(write(p));
        JsonObject fromEntry = ruleFields(write(resolve(codes.getOrDefault(code, defaults), fields, null, "policy.dmcs")));
        JsonObject differs = differing(own, fromEntry);
        if (!differs.isEmpty() || !codes.containsKey(code)) perCode.put(code, differs); // a code of its own stays listed
      });
      if (!perCode.isEmpty()) entry.put("codes", perCode);
      out.add(entry);
    }
    return out;
  }

  /** The fields of {@code rule} whose value is not {@code base}'s. */
  private static JsonObject differing(JsonObject rule, JsonObject base) {
    JsonObject out = new JsonObject();
    for (String key : rule.fieldNames()) if (!java.util.Objects.equals(rule.getValue(key), base.getValue(key))) out.put(key, rule.getValue(key));
    return out;
  }

  /** A document as {@link #write} puts it: two documents of the same policy, in any form, are equal so. */
  public static JsonObject canonical(JsonObject document) {
    return write(read(document));
  }

  /** The keys of one inhibition rule; any other is refused. */
  private static final Set<String> INHIBITION_KEYS = Set.of("name", "sourceCodes", "targetCodes", "scope", "duration");

  /** {@code policy.inhibitions}: a list of rules (an empty list: none; absent: the default rule). */
  static List<Inhibition> inhibitions(Object value) {
    if (!(value instanceof JsonArray rules)) throw new ConfigException("policy.inhibitions: must be a list of rules");
    List<Inhibition> read = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      String where = "policy.inhibitions[" + i + "]";
      if (!(rules.getValue(i) instanceof JsonObject rule)) throw new ConfigException(where + ": must be an object");
      for (String key : rule.fieldNames()) {
        if (!INHIBITION_KEYS.contains(key)) {
          throw new ConfigException(where + "." + key + ": unknown key (known: " + new TreeSet<>(INHIBITION_KEYS) + ")");
        }
      }
      for (String key : INHIBITION_KEYS) {
        if (!rule.containsKey(key)) throw new ConfigException(where + "." + key + ": required");
      }
      Inhibition.Scope scope = switch (String.valueOf(rule.getValue("scope")).toLowerCase(Locale.ROOT)) {
        case "hub" -> Inhibition.Scope.HUB;
        case "device" -> Inhibition.Scope.DEVICE;
        default -> throw new ConfigException(where + ".scope: must be 'hub' or 'device', was '" + rule.getValue("scope") + "'");
      };
      try {
        read.add(new Inhibition(String.valueOf(rule.getValue("name")), codes(rule.getValue("sourceCodes"), where + ".sourceCodes"),
            codes(rule.getValue("targetCodes"), where + ".targetCodes"), scope,
            Durations.parse(String.valueOf(rule.getValue("duration")), where + ".duration")));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where + ": " + e.getMessage());
      }
    }
    return read;
  }

  private static Set<String> codes(Object value, String where) {
    if (!(value instanceof JsonArray list)) throw new ConfigException(where + ": must be a list of alert codes");
    Set<String> codes = new TreeSet<>();
    for (Object c : list) {
      String code = String.valueOf(c).toUpperCase(Locale.ROOT);
      if (!code.matches("[0-9A-F]{4}")) {
        throw new ConfigException(where + ": '" + c + "' is not an alert code (4 hex digits, e.g. 8183)");
      }
      codes.add(code);
    }
    return codes;
  }

  static JsonArray writeInhibitions(List<Inhibition> rules) {
    JsonArray out = new JsonArray();
    for (Inhibition r : rules) {
      out.add(new JsonObject().put("name", r.name())
          .put("sourceCodes", new JsonArray(new ArrayList<>(new TreeSet<>(r.sourceCodes()))))
          .put("targetCodes", new JsonArray(new ArrayList<>(new TreeSet<>(r.targetCodes()))))
          .put("scope", r.scope().wireName()).put("duration", Durations.format(r.duration())));
    }
    return out;
  }

  /** {@code base} with the settings present in {@code json} replaced; {@code where} names the place for errors. */
  static CodePolicy overridden(CodePolicy base, JsonObject json, String where) {
    try {
      return new CodePolicy(
          json.containsKey("mode") ? parseMode(json.getString("mode"), where) : base.mode(),
          json.getInteger("stormThreshold", base.stormThreshold()),
          duration(json, "stormWindow", base.stormWindow(), where),
          json.getInteger("releaseThreshold", base.releaseThreshold()),
          duration(json, "quietPeriod", base.quietPeriod(), where),
          duration(json, "summaryPeriod", base.summaryPeriod(), where),
          json.getInteger("regionalThreshold", base.regionalThreshold()),
          duration(json, "regionalWindow", base.regionalWindow(), where),
          json.getInteger("regionalRelease", base.regionalRelease()),
          duration(json, "groupWait", base.groupWait(), where),
          regional(base.regional(), json, where));
    } catch (ClassCastException e) {
      throw new ConfigException(where + ": a threshold must be a whole number (" + e.getMessage() + ")");
    } catch (ConfigException | IllegalArgumentException e) {
      throw new ConfigException(where + ": " + e.getMessage());
    }
  }

  static JsonObject write(CodePolicy p) {
    return new JsonObject()
        .put("mode", p.mode().wireName())
        .put("stormThreshold", p.stormThreshold())
        .put("stormWindow", Durations.format(p.stormWindow()))
        .put("releaseThreshold", p.releaseThreshold())
        .put("quietPeriod", Durations.format(p.quietPeriod()))
        .put("summaryPeriod", Durations.format(p.summaryPeriod()))
        .put("regionalThreshold", p.regionalThreshold())
        .put("regionalWindow", Durations.format(p.regionalWindow()))
        .put("regionalRelease", p.regionalRelease())
        .put("groupWait", Durations.format(p.groupWait()))
        .put("regionalDetection", p.regional().mode().wireName())
        .put("regionalFactor", p.regional().factor())
        .put("regionalReleaseFactor", p.regional().releaseFactor())
        .put("regionalHalfLife", Durations.format(p.regional().halfLife()))
        .put("regionalBurstHalfLife", Durations.format(p.regional().burstHalfLife()))
        .put("regionalWarmUp", Durations.format(p.regional().warmUp()));
  }

  private static RegionalDetection regional(RegionalDetection base, JsonObject json, String where) {
    return new RegionalDetection(
        json.containsKey("regionalDetection") ? parseDetection(json.getString("regionalDetection"), where) : base.mode(),
        number(json, "regionalFactor", base.factor(), where),
        number(json, "regionalReleaseFactor", base.releaseFactor(), where),
        duration(json, "regionalHalfLife", base.halfLife(), where),
        duration(json, "regionalBurstHalfLife", base.burstHalfLife(), where),
        duration(json, "regionalWarmUp", base.warmUp(), where));
  }

  private static RegionalDetection.Mode parseDetection(String text, String where) {
    return switch (String.valueOf(text).toLowerCase(Locale.ROOT)) {
      case "baseline" -> RegionalDetection.Mode.BASELINE;
      case "threshold" -> RegionalDetection.Mode.THRESHOLD;
      default -> throw new ConfigException(where + ": regionalDetection must be 'baseline' or 'threshold', was '" + text + "'");
    };
  }

  private static double number(JsonObject json, String key, double fallback, String where) {
    Object v = json.getValue(key);
    if (v == null) return fallback;
    if (!(v instanceof Number n)) throw new ConfigException(where + "." + key + ": must be a number, was '" + v + "'");
    return n.doubleValue();
  }

  private static CodeMode parseMode(String text, String where) {
    return switch (String.valueOf(text).toLowerCase()) {
      case "forward" -> CodeMode.FORWARD;
      case "consolidate" -> CodeMode.CONSOLIDATE;
      default -> throw new ConfigException(where + ": mode must be 'forward' or 'consolidate', was '" + text + "'");
    };
  }

  private static Duration duration(JsonObject json, String key, Duration fallback, String where) {
    Object v = json.getValue(key);
    return v == null ? fallback : Durations.parse(String.valueOf(v), where + "." + key);
  }
}
