package org.csp.edge.decision;

import io.vertx.core.json.JsonObject;
import java.io.Serializable;
import java.time.Duration;
import org.csp.edge.config.ConfigException;
import org.csp.edge.config.Durations;

/**
 * The storm rules for one alert code.
 *
 * <p>Hub storm: a hub is in storm for the code once its rate reaches {@code stormThreshold} alerts within
 * {@code stormWindow}; it leaves the storm when a whole {@code quietPeriod} passes with fewer than
 * {@code releaseThreshold} alerts. While in storm a summary goes up every {@code summaryPeriod}.
 *
 * <p>Regional burst: the code is bursting in the region once {@code regionalThreshold} alerts from hubs that are
 * not in storm arrive within {@code regionalWindow}; then they are gathered for {@code groupWait} and sent as
 * group events. The burst ends when a whole {@code regionalWindow} sees fewer than {@code regionalRelease}.
 */
public record CodePolicy(
    CodeMode mode,
    int stormThreshold,
    Duration stormWindow,
    int releaseThreshold,
    Duration quietPeriod,
    Duration summaryPeriod,
    int regionalThreshold,
    Duration regionalWindow,
    int regionalRelease,
    Duration groupWait)
    implements Serializable {

  /** Production defaults: see src/docs/design.md for why these values. */
  public static final CodePolicy DEFAULTS =
      new CodePolicy(
          CodeMode.CONSOLIDATE,
          10,
          Duration.ofSeconds(60),
          3,
          Duration.ofMinutes(10),
          Duration.ofMinutes(15),
          200,
          Duration.ofSeconds(10),
          50,
          Duration.ofSeconds(2));

  public CodePolicy {
    if (stormThreshold < 1) throw new ConfigException("stormThreshold must be at least 1, was " + stormThreshold);
    if (releaseThreshold < 1 || releaseThreshold > stormThreshold) {
      throw new ConfigException(
          "releaseThreshold must be between 1 and stormThreshold (" + stormThreshold + "), was " + releaseThreshold);
    }
    if (regionalThreshold < 1) throw new ConfigException("regionalThreshold must be at least 1");
    if (regionalRelease < 1 || regionalRelease > regionalThreshold) {
      throw new ConfigException("regionalRelease must be between 1 and regionalThreshold (" + regionalThreshold + ")");
    }
    for (Duration d : new Duration[] {stormWindow, quietPeriod, summaryPeriod, regionalWindow, groupWait}) {
      if (d.isNegative() || d.isZero()) throw new ConfigException("policy durations must be positive");
    }
  }

  /** This policy with the settings present in {@code json} replaced; {@code where} names the place for errors. */
  public CodePolicy overriddenBy(JsonObject json, String where) {
    try {
      return new CodePolicy(
          json.containsKey("mode") ? parseMode(json.getString("mode"), where) : mode,
          json.getInteger("stormThreshold", stormThreshold),
          duration(json, "stormWindow", stormWindow, where),
          json.getInteger("releaseThreshold", releaseThreshold),
          duration(json, "quietPeriod", quietPeriod, where),
          duration(json, "summaryPeriod", summaryPeriod, where),
          json.getInteger("regionalThreshold", regionalThreshold),
          duration(json, "regionalWindow", regionalWindow, where),
          json.getInteger("regionalRelease", regionalRelease),
          duration(json, "groupWait", groupWait, where));
    } catch (ClassCastException e) {
      throw new ConfigException(where + ": a threshold must be a whole number (" + e.getMessage() + ")");
    } catch (ConfigException e) {
      throw new ConfigException(where + ": " + e.getMessage());
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("mode", mode.wireName())
        .put("stormThreshold", stormThreshold)
        .put("stormWindow", Durations.format(stormWindow))
        .put("releaseThreshold", releaseThreshold)
        .put("quietPeriod", Durations.format(quietPeriod))
        .put("summaryPeriod", Durations.format(summaryPeriod))
        .put("regionalThreshold", regionalThreshold)
        .put("regionalWindow", Durations.format(regionalWindow))
        .put("regionalRelease", regionalRelease)
        .put("groupWait", Durations.format(groupWait));
  }

  private static CodeMode parseMode(String text, String where) {
    return switch (String.valueOf(text).toLowerCase()) {
      case "forward" -> CodeMode.FORWARD;
      case "consolidate" -> CodeMode.CONSOLIDATE;
      default -> throw new ConfigException(where + ": mode must be 'forward' or 'consolidate', was '" + text + "'");
    };
  }

  private static Duration duration(JsonObject json, String key, Duration fallback, String where) {
    Object v = json.getValue(key);
    return v == null ? fallback : Durations.parse(String.valueOf(v), where + "." + key);
  }
}
