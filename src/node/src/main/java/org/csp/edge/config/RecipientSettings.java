package org.csp.edge.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.csp.edge.recipient.Recipient;
import org.csp.edge.recipient.Recipients;

/**
 * Checks the top-level {@code recipients} list entry by entry (unknown keys, names, codes, weights) and across
 * entries (unique names, a code listed once, exactly one recipient with {@code *}), each problem named by its path
 * such as {@code recipients[1].codes}.
 */
final class RecipientSettings {
  /**
   * GB's split, as node/config.yaml ships it: the DNO receives the voltage alerts (8014 below, 8015 above the RMS
   * voltage thresholds), the suppliers everything else, with equal shares of the link while events wait.
   */
  static final Recipients DEFAULTS = new Recipients(List.of(
      new Recipient("dno", Set.of("8014", "8015"), 1),
      new Recipient("suppliers", Set.of(Recipient.REST), 1)));
  /** Far above any useful ratio; bounded so that one recipient's turn stays short. */
  static final int MAX_WEIGHT = 1000;

  private RecipientSettings() {}

  /** The recipients, or null when a problem was recorded. */
  static Recipients read(Section top) {
    JsonArray list = top.list("recipients");
    if (list == null) return top.json().getValue("recipients") == null ? DEFAULTS : null; // else not a list: named
    Problems problems = top.problems();
    int before = problems.count();
    if (list.isEmpty()) {
      top.problem("recipients", "must list at least one recipient, one of them with codes [\"*\"] (the rest)");
      return null;
    }
    List<Recipient> read = new ArrayList<>();
    Map<String, String> namedAt = new HashMap<>();
    Map<String, String> codeAt = new HashMap<>();
    String restAt = null;
    for (int i = 0; i < list.size(); i++) {
      Object v = list.getValue(i);
      String at = "recipients[" + i + "]";
      if (!(v instanceof JsonObject entry)) {
        problems.add(at, "must be a recipient {name, codes, weight}, got '" + v + "'");
        continue;
      }
      Section s = top.entry("recipients", i, entry);
      String name = s.string("name", null);
      if (name == null || !Recipient.NAME.matcher(name).matches()) {
        s.problem("name", "must be 1 to 64 letters, digits, '-' or '_' (it names the recipient in metrics and topics), got "
            + (name == null ? "none" : "'" + name + "'"));
        name = null;
      } else if (namedAt.putIfAbsent(name, at) != null) {
        s.problem("name", "'" + name + "' is already the name of " + namedAt.get(name) + ": names are unique");
      }
      Set<String> codes = codes(s, at, codeAt);
      if (codes.contains(Recipient.REST)) {
        if (restAt != null) s.problem("codes", "only one recipient takes the rest (*): " + restAt + " does already");
        else restAt = at;
      }
      int weight = s.integer("weight", 1, 1, MAX_WEIGHT);
      s.refuseUnknownKeys();
      if (name != null && !codes.isEmpty()) read.add(new Recipient(name, codes, weight));
    }
    if (restAt == null && problems.count() == before) {
      top.problem("recipients", "no recipient takes the rest: give one of them codes [\"*\"], so that every alert code"
          + " has a recipient");
    }
    if (problems.count() > before) return null;
    return new Recipients(read);
  }

  private static Set<String> codes(Section s, String at, Map<String, String> codeAt) {
    JsonArray list = s.list("codes");
    Set<String> codes = new LinkedHashSet<>();
    if (list == null || list.isEmpty()) {
      if (list != null || s.json().getValue("codes") == null) { // else not a list: named already
        s.problem("codes", "must list the recipient's alert codes (4 hex digits, quoted) or \"*\" for the rest");
      }
      return codes;
    }
    for (Object c : list) {
      // YAML reads an unquoted 8014 as a number: take it when it is 4 digits, as written.
      String code = c instanceof String str ? str.trim().toUpperCase(Locale.ROOT)
          : c instanceof Integer n && n >= 1000 && n <= 9999 ? n.toString() : null;
      if (code == null || !code.equals(Recipient.REST) && !Recipient.CODE.matcher(code).matches()) {
        s.problem("codes", "'" + c + "' is not an alert code (4 hex digits, quoted: \"8F3E\") nor \"*\"");
        continue;
      }
      if (!codes.add(code)) continue;
      if (!code.equals(Recipient.REST)) {
        String first = codeAt.putIfAbsent(code, at);
        if (first != null) s.problem("codes", code + " is listed by " + first + " already: a code has one recipient");
      }
    }
    return codes;
  }
}
