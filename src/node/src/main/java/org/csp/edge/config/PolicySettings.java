package org.csp.edge.config;

import java.time.Duration;
import java.util.Locale;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.CodePolicy;

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
  static AlertPolicy read(Section policy) {
    Problems problems = policy.problems();
    int before = problems.count();
    Section defaultsSection = policy.section("defaults");
    Rules defaults = Rules.read(defaultsSection, Rules.of(CodePolicy.DEFAULTS));
    Section codes = policy.section("codes");
    for (String code : codes.keys()) {
      if (!code.toUpperCase(Locale.ROOT).matches(CODE_FORM)) {
        codes.problem(code, "not an alert code: a code is 4 hex digits, e.g. 8F3E");
        continue;
      }
      Rules.read(codes.section(code), defaults);
    }
    codes.refuseUnknownKeys();
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
        PolicyJson.inhibitions(inhibitions);
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

  /** The thresholds of one code (or the defaults) that must agree with one another. */
  private record Rules(int storm, int release, int regional, int regionalRelease) {
    static Rules of(CodePolicy p) {
      return new Rules(p.stormThreshold(), p.releaseThreshold(), p.regionalThreshold(), p.regionalRelease());
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
      if (release > storm) {
        s.problem("releaseThreshold", "must be at most stormThreshold (" + storm + "), got " + release);
      }
      if (regionalRelease > regional) {
        s.problem("regionalRelease", "must be at most regionalThreshold (" + regional + "), got " + regionalRelease);
      }
      s.refuseUnknownKeys();
      // What the codes inherit: a refused pair is named once, here, not again under every code.
      return new Rules(storm, Math.min(release, storm), regional, Math.min(regionalRelease, regional));
    }
  }
}
