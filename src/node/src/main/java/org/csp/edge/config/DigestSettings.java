package org.csp.edge.config;

import java.time.Duration;

/**
 * The {@code digests} section: one digest per recipient and period, built from the rollups (src/docs/design.md,
 * "Digests"). The period is whole hours that divide a day, so that periods align to UTC midnight and are made of
 * the rollups' hours; the delay leaves time for every member's last flush of the period to reach the stores.
 */
final class DigestSettings {
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration DAY = Duration.ofDays(1);
  /** Within the hourly rollups' least retention (14 days): older hours may be gone from the store. */
  private static final Duration MAX_LOOK_BACK = Duration.ofDays(14);
  private static final int MAX_TOP = 100;

  private DigestSettings() {}

  static NodeConfig.Digests read(Section s, NodeConfig.Rollups rollups, org.csp.edge.recipient.Recipients recipients) {
    boolean enabled = s.bool("enabled", true);
    Duration period = s.duration("period", DAY, HOUR);
    if (period.toMillis() % HOUR.toMillis() != 0 || DAY.toMillis() % period.toMillis() != 0) {
      s.problem("period", "must be whole hours that divide a day (1h, 2h, 3h, 4h, 6h, 8h, 12h or 1d), got "
          + Durations.format(period));
    }
    Duration checkInterval = s.duration("checkInterval", Duration.ofSeconds(30), Duration.ofMillis(100));
    Duration delay = s.duration("delay", Duration.ofMinutes(5), Duration.ZERO);
    if (rollups != null) {
      // Every member flushes within flushInterval of the period's end, the others copy it in within another, and
      // storms seen by any member are shared at its next check.
      Duration least = rollups.flushInterval().multipliedBy(2).plus(checkInterval);
      if (delay.compareTo(least) < 0) {
        s.problem("delay", "must be at least twice rollups.flushInterval plus digests.checkInterval ("
            + Durations.format(least) + "), so that every member's counts of the period are stored; got " + Durations.format(delay));
      }
    }
    Duration lookBack = s.duration("lookBack", Duration.ofDays(7), HOUR);
    if (lookBack.compareTo(MAX_LOOK_BACK) > 0) {
      s.problem("lookBack", "must be at most " + Durations.format(MAX_LOOK_BACK) + " (the hourly rollups' least retention), got "
          + Durations.format(lookBack));
    }
    int top = s.integer("top", 10, 1, MAX_TOP);
    NodeConfig.Email email = email(s.section("email"), recipients);
    s.refuseUnknownKeys();
    return s.problems().build(() -> new NodeConfig.Digests(enabled, period, checkInterval, delay, lookBack, top, email));
  }

  private static final int MAX_RETRIES = 100;
  private static final java.util.regex.Pattern ADDRESS = java.util.regex.Pattern.compile("[^@\\s<>]+@[^@\\s<>]+");

  /** {@code digests.email}: off unless {@code enabled}; then the SMTP host, the sender and each address checked. */
  private static NodeConfig.Email email(Section s, org.csp.edge.recipient.Recipients recipients) {
    boolean enabled = s.bool("enabled", false);
    Section smtp = s.section("smtp");
    String host = smtp.nonBlank("host", null, null);
    int port = smtp.integer("port", 587, 1, 65_535);
    String startTls = smtp.choice("startTls", null, "required", "disabled", "optional", "required");
    String username = smtp.nonBlank("username", null, null);
    String passwordFile = smtp.nonBlank("passwordFile", null, null);
    smtp.refuseUnknownKeys();
    String from = s.nonBlank("from", null, null);
    java.util.Map<String, java.util.List<String>> to = new java.util.LinkedHashMap<>();
    Section toSection = s.section("to");
    for (String name : toSection.keys()) {
      io.vertx.core.json.JsonArray list = toSection.list(name);
      if (recipients != null && recipients.named(name) == null) {
        toSection.problem(name, "is not a recipient (recipients[].name)");
        continue;
      }
      if (list == null || list.isEmpty()) {
        toSection.problem(name, "must list the recipient's e-mail addresses");
        continue;
      }
      java.util.List<String> addresses = new java.util.ArrayList<>();
      for (Object a : list) {
        if (a instanceof String str && ADDRESS.matcher(str.trim()).matches()) addresses.add(str.trim());
        else toSection.problem(name, "'" + a + "' is not an e-mail address");
      }
      to.put(name, addresses);
    }
    int retries = s.integer("retries", 5, 0, MAX_RETRIES);
    Duration retryInterval = s.duration("retryInterval", Duration.ofMinutes(1), Duration.ofMillis(100));
    s.refuseUnknownKeys();
    if (!enabled) return NodeConfig.Email.OFF;
    if (host == null) smtp.problem("host", "must name the SMTP server when digests.email.enabled is true");
    if (from == null || !ADDRESS.matcher(from).matches()) {
      s.problem("from", "must be the sender's e-mail address when digests.email.enabled is true");
    }
    if (to.isEmpty()) s.problem("to", "must give at least one recipient's addresses ({recipient: [address, ...]})");
    // A login needs both: with one alone every digest's mail would be refused by the server, or sent without a login.
    if (username != null && passwordFile == null) {
      smtp.problem("passwordFile", "must name the file holding the SMTP password when smtp.username is set");
    }
    if (username == null && passwordFile != null) {
      smtp.problem("username", "must be set when smtp.passwordFile is (the login's user name)");
    }
    return new NodeConfig.Email(true, host, port, startTls, username, passwordFile == null ? null : java.nio.file.Path.of(passwordFile),
        from, java.util.Map.copyOf(to), retries, retryInterval);
  }
}
