package org.csp.edge.decision;

import java.time.Duration;
import java.util.Set;

/**
 * An inhibition rule of the policy: once one of {@code sourceCodes} arrives from a hub (scope {@link Scope#HUB}) or
 * from a device ({@link Scope#DEVICE}), alerts of {@code targetCodes} from that hub (or device) are held for
 * {@code duration} into summaries with reason {@code inhibited}, never forwarded singly. Unlike Alertmanager's, it
 * holds for a fixed time after the source arrived, not while the source "fires": smart-meter alerts are events,
 * they never resolve.
 */
public record Inhibition(String name, Set<String> sourceCodes, Set<String> targetCodes, Scope scope, Duration duration) {
  public enum Scope {
    HUB,
    DEVICE;

    public String wireName() {
      return name().toLowerCase();
    }
  }

  public Inhibition {
    if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("name must be 1 to 64 letters, digits, '.', '_' or '-', was '" + name + "'");
    }
    sourceCodes = Set.copyOf(sourceCodes);
    targetCodes = Set.copyOf(targetCodes);
    if (sourceCodes.isEmpty()) throw new IllegalArgumentException("sourceCodes must list at least one alert code");
    if (targetCodes.isEmpty()) throw new IllegalArgumentException("targetCodes must list at least one alert code");
    for (String c : sourceCodes) checkCode(c, "sourceCodes");
    for (String c : targetCodes) checkCode(c, "targetCodes");
    if (scope == null) throw new IllegalArgumentException("scope must be 'hub' or 'device'");
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive");
    }
  }

  private static void checkCode(String code, String field) {
    if (code == null || !code.matches("[0-9A-F]{4}")) {
      throw new IllegalArgumentException(field + ": '" + code + "' is not an alert code (4 hex digits, e.g. 8F3E)");
    }
  }
}
