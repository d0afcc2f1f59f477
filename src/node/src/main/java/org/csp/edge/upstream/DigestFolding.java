package org.csp.edge.upstream;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A digest too large for one message keeps the codes with the most alerts and folds the others into
 * {@code otherCodes}: how many codes, their alerts, and their counts by outcome added up. Its per-code parts grow with
 * every code a region's devices send (up to 65,536), where its top lists are bounded. Not silent: what was folded is
 * said and still adds up ({@code alerts} is unchanged).
 */
final class DigestFolding {
  /** The digest's parts that list codes: an object keyed by code, or a list of objects each with its alertCode. */
  private static final List<String> BY_CODE = List.of("byCode", "stormsByCode");
  private static final List<String> LISTS_BY_CODE = List.of("silences", "inhibitions");

  private DigestFolding() {}

  /**
   * The digest with at most as many codes as {@code fits} takes, the most alerts first (found by halving); null when
   * even none fits.
   */
  static JsonObject fitted(JsonObject digest, Predicate<JsonObject> fits) {
    List<String> codes = byAlerts(digest.getJsonObject("byCode", new JsonObject()));
    int low = 0;
    int high = codes.size() - 1; // all of them did not fit
    if (!fits.test(keeping(digest, codes, 0))) return null;
    while (low < high) {
      int mid = (low + high + 1) / 2;
      if (fits.test(keeping(digest, codes, mid))) low = mid;
      else high = mid - 1;
    }
    return keeping(digest, codes, low);
  }

  /** The codes of {@code byCode}, the most alerts first (then by code, so that a rebuild folds the same ones). */
  private static List<String> byAlerts(JsonObject byCode) {
    List<String> codes = new ArrayList<>(byCode.fieldNames());
    codes.sort(Comparator.comparingLong((String c) -> -total(byCode.getJsonObject(c))).thenComparing(c -> c));
    return codes;
  }

  private static long total(JsonObject outcomes) {
    long n = 0;
    for (Map.Entry<String, Object> e : outcomes) n += ((Number) e.getValue()).longValue();
    return n;
  }

  private static JsonObject keeping(JsonObject digest, List<String> codes, int kept) {
    Set<String> keep = new HashSet<>(codes.subList(0, kept));
    JsonObject out = digest.copy();
    JsonObject byCode = digest.getJsonObject("byCode", new JsonObject());
    Map<String, Long> foldedOutcomes = new TreeMap<>();
    long foldedAlerts = 0;
    for (String code : codes.subList(kept, codes.size())) {
      for (Map.Entry<String, Object> e : byCode.getJsonObject(code)) {
        long n = ((Number) e.getValue()).longValue();
        foldedOutcomes.merge(e.getKey(), n, Long::sum);
        foldedAlerts += n;
      }
    }
    for (String part : BY_CODE) {
      JsonObject all = digest.getJsonObject(part);
      if (all == null) continue;
      JsonObject listed = new JsonObject();
      all.forEach(e -> {
        if (keep.contains(e.getKey())) listed.put(e.getKey(), e.getValue());
      });
      out.put(part, listed);
    }
    for (String part : LISTS_BY_CODE) {
      JsonArray all = digest.getJsonArray(part);
      if (all == null) continue;
      JsonArray listed = new JsonArray();
      all.forEach(o -> {
        if (o instanceof JsonObject j && keep.contains(j.getString("alertCode"))) listed.add(j);
      });
      out.put(part, listed);
    }
    JsonObject outcomes = new JsonObject();
    foldedOutcomes.forEach(outcomes::put);
    return out.put("otherCodes", new JsonObject().put("codes", codes.size() - kept).put("alerts", foldedAlerts)
        .put("byOutcome", outcomes));
  }
}
