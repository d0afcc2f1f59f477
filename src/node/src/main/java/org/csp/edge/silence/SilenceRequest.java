package org.csp.edge.silence;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.csp.edge.alert.IsoInstant;
import org.csp.edge.config.NodeConfig;

/**
 * Reads and checks the body of {@code POST /v1/silences}: every problem is named with a JSON pointer to its field,
 * all at once, and nothing is created when there is any.
 */
public final class SilenceRequest {
  /** The matchers a silence may have; at least one. Ids and codes are compared upper case, as alerts carry them. */
  public static final Set<String> MATCHERS =
      Set.of("alertCode", "hubId", "deviceId", "dmc.manufacturer", "dmc.model", "dmc.firmware");
  private static final Set<String> KEYS = Set.of("matchers", "startsAt", "endsAt", "comment");
  private static final Set<String> UPPER_CASED = Set.of("alertCode", "hubId", "deviceId");
  /** A pattern longer than any id or model name is a mistake. */
  private static final int MAX_PATTERN = 128;
  private static final int MAX_COMMENT = 1024;

  /** One problem: where ({@code /endsAt}) and what. */
  public record Problem(String pointer, String detail) {}

  /** The silence read, or the problems that stop it. */
  public record Result(StoredSilence silence, List<Problem> problems) {}

  private SilenceRequest() {}

  public static Result read(JsonObject body, String author, long now, NodeConfig.Silences limits) {
    List<Problem> problems = new ArrayList<>();
    for (String key : body.fieldNames()) {
      if (!KEYS.contains(key)) problems.add(new Problem("/" + key, "unknown field (known: " + new java.util.TreeSet<>(KEYS) + ")"));
    }
    Map<String, String> matchers = new TreeMap<>();
    Object m = body.getValue("matchers");
    if (!(m instanceof JsonObject given) || given.isEmpty()) {
      problems.add(new Problem("/matchers", "required: an object with at least one of " + new java.util.TreeSet<>(MATCHERS)));
    } else {
      for (String name : given.fieldNames()) {
        String pointer = "/matchers/" + name.replace("~", "~0").replace("/", "~1");
        Object v = given.getValue(name);
        if (!MATCHERS.contains(name)) {
          problems.add(new Problem(pointer, "unknown matcher (known: " + new java.util.TreeSet<>(MATCHERS) + ")"));
        } else if (!(v instanceof String pattern) || pattern.isBlank() || pattern.length() > MAX_PATTERN) {
          problems.add(new Problem(pointer, "must be a non-empty string of at most " + MAX_PATTERN
              + " characters: the exact value, where * stands for any run of characters"));
        } else if (UPPER_CASED.contains(name) && !pattern.toUpperCase(Locale.ROOT).matches("[0-9A-F*-]+")) {
          problems.add(new Problem(pointer, "must be hex digits (and '-' in ids), with * for any run of them"));
        } else {
          matchers.put(name, UPPER_CASED.contains(name) ? pattern.toUpperCase(Locale.ROOT) : pattern);
        }
      }
    }
    long startsAt = body.containsKey("startsAt") ? instant(body.getValue("startsAt"), "/startsAt", problems) : now;
    long endsAt = -1;
    if (!body.containsKey("endsAt")) {
      problems.add(new Problem("/endsAt", "required: when the silence ends (ISO-8601 instant)"));
    } else {
      endsAt = instant(body.getValue("endsAt"), "/endsAt", problems);
    }
    if (startsAt >= 0 && endsAt >= 0) {
      if (endsAt <= startsAt) problems.add(new Problem("/endsAt", "must be after startsAt"));
      else if (endsAt <= now) problems.add(new Problem("/endsAt", "must be in the future"));
      else if (endsAt - startsAt > limits.maxDuration().toMillis()) {
        problems.add(new Problem("/endsAt", "at most silences.maxDuration (" + limits.maxDuration() + ") after startsAt"));
      }
    }
    Object comment = body.getValue("comment");
    if (comment != null && (!(comment instanceof String c) || c.length() > MAX_COMMENT)) {
      problems.add(new Problem("/comment", "must be a string of at most " + MAX_COMMENT + " characters"));
    }
    if (!problems.isEmpty()) return new Result(null, problems);
    return new Result(new StoredSilence(UUID.randomUUID().toString(), matchers, startsAt, endsAt,
        comment == null ? "" : (String) comment, author, now, null, 0, false, false), List.of());
  }

  private static long instant(Object v, String pointer, List<Problem> problems) {
    Long millis = v instanceof String s ? IsoInstant.parseMillis(s) : null;
    if (millis != null) return millis;
    problems.add(new Problem(pointer, "must be an ISO-8601 instant from year 0000 to 9999 such as 2026-12-05T18:00:00Z,"
        + " got '" + v + "'"));
    return -1;
  }
}
