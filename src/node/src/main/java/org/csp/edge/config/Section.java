package org.csp.edge.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One section of a configuration being read. Every key read here is a key the node knows, each value is checked
 * against its range, and a NODE_* variable, where one exists, is checked the same way. A bad value is recorded in
 * {@link Problems} and its default used instead, so that reading goes on and every problem is named in one go;
 * {@link #refuseUnknownKeys()} then names the keys nobody read (a typo would otherwise be silently ignored).
 */
final class Section {
  private final String path;
  private final JsonObject json;
  private final Map<String, String> env;
  private final Problems problems;
  private final Set<String> known = new LinkedHashSet<>();

  Section(String path, JsonObject json, Map<String, String> env, Problems problems) {
    this.path = path;
    this.json = json;
    this.env = env;
    this.problems = problems;
  }

  /** The whole configuration: its top-level sections. */
  static Section top(JsonObject json, Map<String, String> env, Problems problems) {
    return new Section("", json, env, problems);
  }

  /** An environment variable that has no key of its own (a secret). */
  String env(String name) {
    return env.get(name);
  }

  Problems problems() {
    return problems;
  }

  String name(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  String name(String key, String envName) {
    return envName != null && env.containsKey(envName) ? name(key) + " (" + envName + ")" : name(key);
  }

  /** The raw value: the environment's when set, else the file's, else null. */
  private Object raw(String key, String envName) {
    known.add(key);
    if (envName != null && env.containsKey(envName)) return env.get(envName);
    return json.getValue(key);
  }

  Section section(String key) {
    known.add(key);
    Object v = json.getValue(key);
    if (v != null && !(v instanceof JsonObject)) {
      problems.add(name(key), "must be a section (a map of settings), got '" + v + "'");
      v = null;
    }
    return new Section(name(key), v == null ? new JsonObject() : (JsonObject) v, env, problems);
  }

  /** A list of entries (recipients), empty when absent; anything else than a list is a problem, named. */
  io.vertx.core.json.JsonArray list(String key) {
    known.add(key);
    Object v = json.getValue(key);
    if (v == null) return null;
    if (!(v instanceof io.vertx.core.json.JsonArray a)) {
      problems.add(name(key), "must be a list, got '" + v + "'");
      return null;
    }
    return a;
  }

  /** The section of one entry of a list, named {@code key[index]}. */
  Section entry(String key, int index, JsonObject entry) {
    return new Section(name(key) + "[" + index + "]", entry, env, problems);
  }

  /** The keys present in this section, for sections whose keys are data (policy.codes). */
  Set<String> keys() {
    known.addAll(json.fieldNames());
    return new TreeSet<>(json.fieldNames());
  }

  JsonObject json() {
    return json;
  }

  /** A list of sections ({@code key[0]}, {@code key[1]}...); an element that is not a map is named and left out. */
  java.util.List<Section> sectionsOf(String key) {
    known.add(key);
    Object v = json.getValue(key);
    java.util.List<Section> out = new java.util.ArrayList<>();
    if (v == null) return out;
    if (!(v instanceof io.vertx.core.json.JsonArray array)) {
      problems.add(name(key), "must be a list, got '" + v + "'");
      return out;
    }
    for (int i = 0; i < array.size(); i++) {
      String at = name(key) + "[" + i + "]";
      if (array.getValue(i) instanceof JsonObject element) out.add(new Section(at, element, env, problems));
      else problems.add(at, "must be a section (a map of settings), got '" + array.getValue(i) + "'");
    }
    return out;
  }

  /** A value of any shape (a list of rules), read by its own checker; null when absent. */
  Object value(String key) {
    return raw(key, null);
  }

  String string(String key, String envName, String fallback) {
    Object v = raw(key, envName);
    if (v == null) return fallback;
    if (v instanceof JsonObject || v instanceof io.vertx.core.json.JsonArray) {
      problems.add(name(key, envName), "must be a single value, got '" + v + "'");
      return fallback;
    }
    return String.valueOf(v).trim();
  }

  String string(String key, String fallback) {
    return string(key, null, fallback);
  }

  /** A string that must not be blank when given. */
  String nonBlank(String key, String envName, String fallback) {
    String v = string(key, envName, fallback);
    if (v != null && v.isEmpty()) {
      problems.add(name(key, envName), "must not be empty");
      return fallback;
    }
    return v;
  }

  int integer(String key, String envName, int fallback, int min, int max, String meaning) {
    Object v = raw(key, envName);
    if (v == null) return fallback;
    long n;
    if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      n = ((Number) v).longValue();
    } else if (v instanceof String s && envName != null && env.containsKey(envName)) {
      try {
        n = Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        problems.add(name(key, envName), "must be a whole number " + range(min, max, meaning) + ", got '" + s + "'");
        return fallback;
      }
    } else {
      problems.add(name(key, envName), "must be a whole number " + range(min, max, meaning) + ", got '" + v + "'");
      return fallback;
    }
    if (n < min || n > max) {
      problems.add(name(key, envName), "must be " + range(min, max, meaning) + ", got " + n);
      return fallback;
    }
    return (int) n;
  }

  int integer(String key, int fallback, int min, int max) {
    return integer(key, null, fallback, min, max, null);
  }

  int atLeast(String key, int fallback, int min) {
    return integer(key, null, fallback, min, Integer.MAX_VALUE, null);
  }

  double number(String key, double fallback, double min, String meaning) {
    Object v = raw(key, null);
    if (v == null) return fallback;
    if (!(v instanceof Number n) || Double.isNaN(n.doubleValue()) || Double.isInfinite(n.doubleValue())) {
      problems.add(name(key), "must be a number, at least " + plain(min) + meaning + ", got '" + v + "'");
      return fallback;
    }
    if (n.doubleValue() < min) {
      problems.add(name(key), "must be at least " + plain(min) + meaning + ", got " + plain(n.doubleValue()));
      return fallback;
    }
    return n.doubleValue();
  }

  Duration duration(String key, Duration fallback, Duration min) {
    return duration(key, fallback, min, "");
  }

  /** A duration of at least {@code min}, which the environment variable {@code envName} overrides. */
  Duration duration(String key, String envName, Duration fallback, Duration min) {
    return duration(key, envName, fallback, min, "");
  }

  /** A duration of at least {@code min}; {@code meaning} explains a minimum of 0 (e.g. ", 0s: never"). */
  Duration duration(String key, Duration fallback, Duration min, String meaning) {
    return duration(key, null, fallback, min, meaning);
  }

  private Duration duration(String key, String envName, Duration fallback, Duration min, String meaning) {
    Object v = raw(key, envName);
    if (v == null) return fallback;
    Duration d;
    try {
      d = Durations.parse(String.valueOf(v), name(key, envName));
    } catch (ConfigException e) {
      problems.add(e);
      return fallback;
    }
    if (d.compareTo(min) < 0) {
      problems.add(name(key, envName), "must be at least " + Durations.format(min) + meaning + ", got " + Durations.format(d));
      return fallback;
    }
    return d;
  }

  boolean bool(String key, String envName, boolean fallback) {
    Object v = raw(key, envName);
    if (v == null) return fallback;
    switch (String.valueOf(v).trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1":
        return true;
      case "false", "no", "0":
        return false;
      default:
        problems.add(name(key, envName), "must be true or false, got '" + v + "'");
        return fallback;
    }
  }

  Boolean optionalBool(String key, String envName) {
    Object v = raw(key, envName);
    if (v == null) return null;
    int before = problems.count();
    boolean b = bool(key, envName, false);
    return problems.count() > before ? null : b;
  }

  boolean bool(String key, boolean fallback) {
    return bool(key, null, fallback);
  }

  /** One of {@code choices} (case-insensitive), returned in lower case. */
  String choice(String key, String envName, String fallback, String... choices) {
    String v = string(key, envName, fallback);
    for (String c : choices) if (c.equalsIgnoreCase(v)) return c;
    problems.add(name(key, envName), "must be one of " + String.join(", ", choices) + ", got '" + v + "'");
    return fallback;
  }

  /** Records every key of this section that nothing read. Call after reading the section. */
  void refuseUnknownKeys() {
    for (String key : new TreeSet<>(json.fieldNames())) {
      if (!known.contains(key)) {
        problems.add(name(key), "unknown setting" + (known.isEmpty() ? "" : "; " + (path.isEmpty() ? "the sections are" : path
            + " knows") + " " + String.join(", ", known)));
      }
    }
  }

  void problem(String key, String problem) {
    problems.add(name(key), problem);
  }

  private static String range(long min, long max, String meaning) {
    String r = max == Integer.MAX_VALUE ? "at least " + min : min + ".." + max;
    return meaning == null ? r : r + " (" + meaning + ")";
  }

  private static String plain(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
