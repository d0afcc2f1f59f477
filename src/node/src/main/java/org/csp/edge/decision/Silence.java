package org.csp.edge.decision;

import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Dmc;

/**
 * An operator's silence as the decisions see it: its id, its matchers ({@link Glob} patterns, null for any) and when
 * it holds ({@code startsAt} inclusive, {@code endsAt} exclusive, epoch milliseconds). Who made it and why is the
 * silence store's business, not the rules'. The silences in force travel inside each hub operation, so that the
 * owner and its backup decide with the same ones.
 */
public record Silence(
    String id,
    String alertCode,
    String hubId,
    String deviceId,
    String manufacturer,
    String model,
    String firmware,
    long startsAt,
    long endsAt) {

  public boolean activeAt(long now) {
    return startsAt <= now && now < endsAt;
  }

  /** Whether it may match alerts of this hub: the hub matcher alone, to send each operation only what it may use. */
  public boolean mayMatchHub(String hub) {
    return Glob.matches(hubId, hub);
  }

  public boolean matches(Alert alert, long now) {
    if (!activeAt(now)) return false;
    Dmc dmc = alert.dmc();
    return Glob.matches(alertCode, alert.alertCode()) && Glob.matches(hubId, alert.hubId())
        && Glob.matches(deviceId, alert.deviceId())
        && Glob.matches(manufacturer, dmc == null ? null : dmc.manufacturer())
        && Glob.matches(model, dmc == null ? null : dmc.model())
        && Glob.matches(firmware, dmc == null ? null : dmc.firmware());
  }
}
