package org.csp.edge.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.CodePolicy;
import org.csp.edge.decision.DmcRule;
import org.csp.edge.decision.Inhibition;
import org.csp.edge.decision.RegionalDetection;

/**
 * Checks the {@code policy} section key by key (unknown keys, types, ranges, and each code's thresholds against
 * the defaults it inherits) before {@link PolicyJson#read} builds the policy from it, so that every problem
 * is named with its key path and all of them at once.
 */
final class PolicySettings {
  private static final String CODE_FORM = "[0-9A-F]{4}";
  /** Far above any real hub (a handful of devices): the bound is there to cap what one hub's state can cost. */
  private static final int MAX_DEVICES = 100_000;
  /** Every alert code there is (4 hex digits). */
  private static final int MAX_CODES = 65_536;

  private PolicySettings() {}

  /** The policy, or null when a problem was recorded. */
  /**
   * Codes are read in any case, so {@code 8f3e} and {@code 8F3E} are one code: named twice, one rule would silently
   * win over the other (an operator's {@code mode: forward} lost). Refused, naming both.
   */
  private static boolean namedTwice(Section codes, String code, Map<String, String> named) {
    String first = named.putIfAbsent(code.toUpperCase(Locale.ROOT), code);
    if (first == null) return false;
    codes.problem(code, "the same code as '" + first + "' (codes are read in any case): name it once");
    return true;
  }

  static AlertPolicy read(Section policy) {
    Problems problems = policy.problems();
    int before = problems.count();
    Section defaultsSection = policy.section("defaults");
    Rules defaults = Rules.read(defaultsSection, Rules.of(CodePolicy.DEFAULTS));
    Section codes = policy.section("codes");
    Map<String, String> named = new HashMap<>();
    for (String code : codes.keys()) {
      if (!code.toUpperCase(Locale.ROOT).matches(CODE_FORM)) {
        codes.problem(code, "not an alert code: a code is 4 hex digits, e.g. 8F3E");
        continue;
      }
      if (namedTwice(codes, code, named)) continue;
      Rules.read(codes.section(code), defaults);
    }
    codes.refuseUnknownKeys();
    for (Section entry : policy.sectionsOf("dmcs")) readDmc(entry, defaults);
    Section duplicates = policy.section("duplicates");
    duplicates.duration("retention", AlertPolicy.DEFAULTS.duplicateRetention(), Duration.ofSeconds(1));
    duplicates.atLeast("perDevice", AlertPolicy.DEFAULTS.duplicateMemoryPerDevice(), 1);
    duplicates.refuseUnknownKeys();
    policy.atLeast("maxHubsPerGroup", AlertPolicy.DEFAULTS.maxHubsPerGroup(), 1);
    policy.integer("maxDevicesPerSummary", AlertPolicy.DEFAULTS.maxDevicesPerSummary(), 1, MAX_DEVICES);
    policy.integer("maxDevicesPerHub", AlertPolicy.DEFAULTS.maxDevicesPerHub(), 1, MAX_DEVICES);
    policy.integer("maxCodesPerHub", AlertPolicy.DEFAULTS.maxCodesPerHub(), 1, MAX_CODES);
    Object inhibitions = policy.value("inhibitions");
    if (inhibitions != null) {
      try {
        List<Inhibition> rules = PolicyJson.inhibitions(inhibitions);
        for (int i = 0; i < rules.size(); i++) refuseSelfInhibition(policy, i, rules.get(i));
      } catch (ConfigException e) {
        // "policy.inhibitions[i].key: problem", named as the other problems are.
        String m = e.getMessage();
        int colon = m.indexOf(": ");
        problems.add(colon > 0 ? m.substring(0, colon) : policy.name("inhibitions"), colon > 0 ? m.substring(colon + 2) : m);
      }
    }
    policy.refuseUnknownKeys();
    if (problems.count() > before) return null;
    return problems.build(() -> PolicyJson.read(policy.json()));
  }

  /**
   * A code that inhibits itself is held for as long as it keeps arriving: a storm that is never detected and never
   * ends, each hub's alerts in summaries for ever. Refused here, where operators write rules; a stored policy of an
   * earlier release that has such a rule still reads.
   */
  private static void refuseSelfInhibition(Section policy, int index, Inhibition rule) {
    Set<String> both = new TreeSet<>(rule.sourceCodes());
    both.retainAll(rule.targetCodes());
    if (!both.isEmpty()) {
      policy.problems().add(policy.name("inhibitions") + "[" + index + "]", "a code cannot inhibit itself: " + both
          + " in both sourceCodes and targetCodes (a code that repeats is for the storm detector)");
    }
  }

  /** One {@code policy.dmcs} entry: the device model it matches and the settings that decide one alert. */
  private static void readDmc(Section entry, Rules defaults) {
    for (String field : new String[] {"manufacturer", "model", "firmware"}) {
      String value = entry.string(field, null);
      if (value == null || value.isEmpty()) {
        entry.problem(field, "required: the exact value, or * for any");
      } else if (value.contains(DmcRule.ANY) && !value.equals(DmcRule.ANY)) {
        entry.problem(field, "'" + value + "': * stands alone for any value; partial patterns are not matched");
      }
    }
    dmcRule(entry, defaults);
    Section codes = entry.section("codes");
    Map<String, String> named = new HashMap<>();
    for (String code : codes.keys()) {
      if (!code.toUpperCase(Locale.ROOT).matches(CODE_FORM)) {
        codes.problem(code, "not an alert code: a code is 4 hex digits, e.g. 8F3E");
        continue;
      }
      if (namedTwice(codes, code, named)) continue;
      Section rule = codes.section(code);
      dmcRule(rule, defaults);
      rule.refuseUnknownKeys();
    }
    codes.refuseUnknownKeys();
    entry.refuseUnknownKeys();
  }

  /** What a device model's rule may set ({@link PolicyJson#DMC_RULE_KEYS}); the rest stays the code's. */
  private static void dmcRule(Section s, Rules defaults) {
    s.choice("mode", null, "consolidate", "consolidate", "forward");
    s.atLeast("stormThreshold", defaults.storm(), 1);
    s.duration("stormWindow", Duration.ofSeconds(1), Duration.ofMillis(1));
  }

  /** The thresholds of one code (or the defaults) that must agree with one another. */
  private record Rules(int storm, int release, int regional, int regionalRelease, double factor, double releaseFactor,
      Duration halfLife, Duration burstHalfLife) {
    static Rules of(CodePolicy p) {
      RegionalDetection r = p.regional();
      return new Rules(p.stormThreshold(), p.releaseThreshold(), p.regionalThreshold(), p.regionalRelease(),
          r.factor(), r.releaseFactor(), r.halfLife(), r.burstHalfLife());
    }

    static Rules read(Section s, Rules inherited) {
      s.choice("mode", null, "consolidate", "consolidate", "forward");
      int storm = s.atLeast("stormThreshold", inherited.storm(), 1);
      int release = s.atLeast("releaseThreshold", inherited.release(), 1);
      int regional = s.atLeast("regionalThreshold", inherited.regional(), 1);
      int regionalRelease = s.atLeast("regionalRelease", inherited.regionalRelease(), 1);
      for (String key : new String[] {"stormWindow", "quietPeriod", "summaryPeriod", "regionalWindow", "groupWait"}) {
        s.duration(key, Duration.ofSeconds(1), Duration.ofMillis(1));
      }
      s.choice("regionalDetection", null, "baseline", "baseline", "threshold");
      double factor = s.number("regionalFactor", inherited.factor(), 1, "");
      double releaseFactor = s.number("regionalReleaseFactor", inherited.releaseFactor(), 1, "");
      if (s.json().containsKey("regionalReleaseFactor") && releaseFactor <= 1) {
        s.problem("regionalReleaseFactor", "must be above 1: at 1 the background alone would hold a burst");
      }
      if (factor < releaseFactor) {
        s.problem("regionalFactor", "must be at least regionalReleaseFactor (" + releaseFactor + "), got " + factor);
      }
      Duration halfLife = s.duration("regionalHalfLife", inherited.halfLife(), Duration.ofMillis(1));
      Duration burstHalfLife = s.duration("regionalBurstHalfLife", inherited.burstHalfLife(), Duration.ofMillis(1));
      if (burstHalfLife.compareTo(halfLife) < 0) {
        s.problem("regionalBurstHalfLife", "must be at least regionalHalfLife (" + Durations.format(halfLife) + "), got "
            + Durations.format(burstHalfLife));
      }
      s.duration("regionalWarmUp", Duration.ZERO, Duration.ZERO, ", 0s: detect from the first alert");
      if (release > storm) {
        s.problem("releaseThreshold", "must be at most stormThreshold (" + storm + "), got " + release);
      }
      if (regionalRelease > regional) {
        s.problem("regionalRelease", "must be at most regionalThreshold (" + regional + "), got " + regionalRelease);
      }
      s.refuseUnknownKeys();
      // What the codes inherit: a refused pair is named once, here, not again under every code.
      return new Rules(storm, Math.min(release, storm), regional, Math.min(regionalRelease, regional),
          Math.max(factor, releaseFactor), releaseFactor, halfLife, burstHalfLife.compareTo(halfLife) < 0 ? halfLife : burstHalfLife);
    }
  }
}
