package org.csp.edge.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csp.edge.alert.IsoInstant;
import org.csp.edge.rollup.Period;

/** A report's parameters, read and checked: every problem names its parameter (problem+json {@code errors}). */
final class ReportQuery {
  static final List<String> DIMENSIONS = List.of("alertCode", "dmc", "outcome");
  private final JsonArray errors = new JsonArray();
  private final Map<String, List<String>> params;

  ReportQuery(Map<String, List<String>> params) {
    this.params = params;
  }

  JsonArray errors() {
    return errors;
  }

  private String one(String name) {
    List<String> v = params.get(name);
    if (v == null || v.isEmpty()) return null;
    if (v.size() > 1) error(name, "give it once");
    return v.get(0);
  }

  void error(String name, String problem) {
    errors.add(new JsonObject().put("parameter", name).put("detail", problem));
  }

  long instant(String name, long fallback) {
    String v = one(name);
    if (v == null || v.isBlank()) return fallback;
    Long millis = IsoInstant.parseMillis(v);
    if (millis == null) {
      error(name, "must be an ISO-8601 instant from year 0000 to 9999 such as 2026-12-01T00:00:00Z, got '" + v + "'");
      return fallback;
    }
    return millis;
  }

  Period step() {
    String v = one("step");
    if (v == null || v.equals("1h")) return Period.HOUR;
    if (v.equals("1d")) return Period.DAY;
    error("step", "must be 1h or 1d, got '" + v + "'");
    return Period.HOUR;
  }

  Set<String> by() {
    String v = one("by");
    Set<String> by = new LinkedHashSet<>();
    if (v == null) return new LinkedHashSet<>(DIMENSIONS);
    for (String d : v.split(",")) {
      String t = d.trim();
      if (t.isEmpty()) continue;
      if (!DIMENSIONS.contains(t)) error("by", "names dimensions among " + String.join(",", DIMENSIONS) + "; '" + t + "' is not one");
      else by.add(t);
    }
    return by;
  }

  String text(String name, String pattern, String form) {
    String v = one(name);
    if (v == null || v.isEmpty()) return null;
    if (!v.matches(pattern)) {
      error(name, "must be " + form + ", got '" + v + "'");
      return null;
    }
    return v;
  }

  String choice(String name, String fallback, List<String> choices) {
    String v = one(name);
    if (v == null) return fallback;
    if (!choices.contains(v)) {
      error(name, "must be one of " + String.join(", ", choices) + ", got '" + v + "'");
      return fallback;
    }
    return v;
  }

  int integer(String name, int fallback, int min, int max) {
    String v = one(name);
    if (v == null) return fallback;
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    error(name, "must be an integer from " + min + " to " + max + ", got '" + v + "'");
    return fallback;
  }
}
