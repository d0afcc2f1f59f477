package org.csp.edge.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The NODE_* variables read outside this package: by the cluster configurations (cluster-config/*.xml, substituted
 * when the member starts), by the logging set-up, and by the launcher and the API commands. They are checked here with
 * the rest of the configuration, so that {@code config check} and a start refuse the same values, naming the variable
 * and what it takes: a cluster configuration that does not read a variable would otherwise ignore a wrong value, and
 * the logging would fall back to its defaults without a word.
 */
final class ExternalSettings {
  private static final int MAX_PORT = 65_535;
  /** Hazelcast's limit on a map's synchronous backups. */
  private static final int MAX_BACKUPS = 6;
  /**
   * A Hazelcast cluster name: any printable ASCII but spaces and what the XML it is written into would read as
   * markup. Not narrower: clusters of earlier releases run under such names, and a member refused its name could not
   * join them in a rolling upgrade.
   */
  private static final String CLUSTER_NAME_FORM = "[!-~&&[^<>&\"']]{1,128}";
  private static final String HOST_FORM = "[A-Za-z0-9]([A-Za-z0-9.-]{0,252})";

  /** One variable: its name, what it takes (for the message), and the test of a value. */
  private record Rule(String name, String takes, Predicate<String> accepts) {}

  private static final List<Rule> RULES = List.of(
      new Rule("NODE_CLUSTER_NAME", "printable ASCII without spaces, quotes, '<', '>' or '&', at most 128",
          v -> v.matches(CLUSTER_NAME_FORM)),
      new Rule("NODE_HUB_BACKUPS", "a whole number 0.." + MAX_BACKUPS + " (Hazelcast's limit)", v -> inRange(v, 0, MAX_BACKUPS)),
      new Rule("NODE_HUB_IDLE_SECONDS", "a whole number of seconds, 0 (never) or more", v -> inRange(v, 0, Long.MAX_VALUE)),
      new Rule("NODE_HUB_BATCH_QUEUE", "a whole number of tasks, 1 or more", v -> inRange(v, 1, Integer.MAX_VALUE)),
      new Rule("NODE_CLUSTER_QUORUM", "a whole number of members, 1 (no quorum) or more", v -> inRange(v, 1, Integer.MAX_VALUE)),
      new Rule("NODE_CLUSTER_HEARTBEAT_TOLERANCE", "a whole number of seconds, more than the heartbeat interval",
          v -> inRange(v, 1, Integer.MAX_VALUE)),
      new Rule("NODE_HAZELCAST_PORT", "a port 1.." + MAX_PORT, v -> inRange(v, 1, MAX_PORT)),
      new Rule("NODE_HAZELCAST_SERVICE_DNS", "a DNS name", v -> v.matches(HOST_FORM)),
      new Rule("NODE_LOG_LEVEL", "one of TRACE, DEBUG, INFO, WARN, ERROR, OFF (empty: INFO)",
          v -> Set.of("", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF").contains(v.toUpperCase(Locale.ROOT))),
      new Rule("NODE_LOG_FORMAT", "json, or text (empty: text)", v -> Set.of("", "text", "json").contains(v.toLowerCase(Locale.ROOT))));

  /** Variables only the launcher and the API commands read: any value is theirs to judge. */
  private static final Set<String> UNCHECKED = Set.of("NODE_CONFIG_FILE", "NODE_API_URL", "NODE_API_TOKEN");

  private ExternalSettings() {}

  private static final Set<String> NAMES = names();

  /** Every variable read outside this package, checked or not. */
  static Set<String> known() {
    return NAMES;
  }

  private static Set<String> names() {
    Set<String> names = new java.util.HashSet<>(UNCHECKED);
    RULES.forEach(r -> names.add(r.name()));
    return Set.copyOf(names);
  }

  /** Records a problem for each variable set to a value it does not take. */
  static void check(Map<String, String> env, Problems problems) {
    for (Rule r : RULES) {
      String value = env.get(r.name());
      if (value != null && !r.accepts().test(value.strip())) {
        problems.add(r.name(), "must be " + r.takes() + ", got '" + value + "'");
      }
    }
  }

  private static boolean inRange(String value, long min, long max) {
    try {
      long n = Long.parseLong(value);
      return n >= min && n <= max;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
