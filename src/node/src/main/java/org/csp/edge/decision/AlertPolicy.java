package org.csp.edge.decision;

import io.vertx.core.json.JsonObject;
import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.csp.edge.config.ConfigException;
import org.csp.edge.config.Durations;

/**
 * The policy in force: default rules, per-code overrides, and how duplicate headers are remembered.
 * Immutable; it travels inside entry processors, so it must stay small and serializable.
 */
public record AlertPolicy(
    CodePolicy defaults,
    Map<String, CodePolicy> codes,
    Duration duplicateRetention,
    int duplicateMemoryPerDevice,
    int maxHubsPerGroup)
    implements Serializable {

  public static final AlertPolicy DEFAULTS =
      new AlertPolicy(CodePolicy.DEFAULTS, Map.of(), Duration.ofHours(24), 32, 500);

  public AlertPolicy {
    codes = Map.copyOf(codes);
    if (duplicateMemoryPerDevice < 1) throw new ConfigException("policy.duplicates.perDevice must be at least 1");
    if (maxHubsPerGroup < 1) throw new ConfigException("policy.maxHubsPerGroup must be at least 1");
  }

  public CodePolicy forCode(String alertCode) {
    CodePolicy p = codes.get(alertCode);
    return p != null ? p : defaults;
  }

  /** Reads the {@code policy} section of the configuration; absent settings keep their defaults. */
  public static AlertPolicy fromJson(JsonObject json) {
    if (json == null) return DEFAULTS;
    CodePolicy defaults = CodePolicy.DEFAULTS.overriddenBy(json.getJsonObject("defaults", new JsonObject()), "policy.defaults");
    Map<String, CodePolicy> codes = new TreeMap<>();
    JsonObject perCode = json.getJsonObject("codes", new JsonObject());
    for (String code : perCode.fieldNames()) {
      String normalised = code.toUpperCase(Locale.ROOT);
      if (!normalised.matches("[0-9A-F]{4}")) {
        throw new ConfigException("policy.codes: '" + code + "' is not an alert code (4 hex digits, e.g. 8F3E)");
      }
      codes.put(normalised, defaults.overriddenBy(perCode.getJsonObject(code), "policy.codes." + code));
    }
    JsonObject dup = json.getJsonObject("duplicates", new JsonObject());
    Duration retention =
        dup.containsKey("retention")
            ? Durations.parse(dup.getString("retention"), "policy.duplicates.retention")
            : DEFAULTS.duplicateRetention();
    return new AlertPolicy(
        defaults,
        codes,
        retention,
        dup.getInteger("perDevice", DEFAULTS.duplicateMemoryPerDevice()),
        json.getInteger("maxHubsPerGroup", DEFAULTS.maxHubsPerGroup()));
  }

  public JsonObject toJson() {
    JsonObject perCode = new JsonObject();
    new TreeMap<>(codes).forEach((code, p) -> perCode.put(code, p.toJson()));
    return new JsonObject()
        .put("defaults", defaults.toJson())
        .put("codes", perCode)
        .put(
            "duplicates",
            new JsonObject()
                .put("retention", Durations.format(duplicateRetention))
                .put("perDevice", duplicateMemoryPerDevice))
        .put("maxHubsPerGroup", maxHubsPerGroup);
  }
}
