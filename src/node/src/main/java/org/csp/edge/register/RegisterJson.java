package org.csp.edge.register;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.csp.edge.rollup.AlertRollups;

/** The register as {@code GET /v1/register/dmcs} answers it (src/docs/operations.md shows an example). */
final class RegisterJson {
  private RegisterJson() {}

  /**
   * The register's entries of {@code alertCode} (all codes when null) and of the {@code statuses} asked for, at most
   * {@code limit} of them in the register's order (confirmed, suspected, none); {@code total} counts them all.
   */
  static JsonObject of(RegisterSnapshot s, StormRegister register, List<Annotation> annotations, String alertCode,
      java.util.Set<Status> statuses, int limit) {
    Certainty c = register.certainty();
    JsonObject period = new JsonObject().put("from", RegisterRoutes.iso(s.from())).put("to", RegisterRoutes.iso(s.to()));
    JsonObject method = new JsonObject().put("test", StormRegister.TEST).put("correction", "benjamini-hochberg")
        .put("falseDiscoveryRate", new JsonObject().put("suspected", c.suspectedFdr()).put("confirmed", c.confirmedFdr()))
        .put("minRateRatio", c.minRateRatio()).put("minDevices", c.minDevices()).put("bound", StormRegister.BOUND);
    JsonArray entries = new JsonArray();
    int total = 0;
    for (Assessment a : s.entries()) {
      Figures f = a.figures();
      if (alertCode != null && !alertCode.equals(f.alertCode())) continue;
      if (!statuses.contains(a.status())) continue;
      if (++total > limit) continue;
      JsonArray notes = new JsonArray();
      if (f.dmc() != null) {
        for (Annotation n : annotations) if (n.of(f.dmc(), f.alertCode())) notes.add(n.toEntryJson());
      }
      entries.add(new JsonObject().put("dmc", f.dmc() == null ? AlertRollups.UNKNOWN : f.dmc().toJson())
          .put("alertCode", f.alertCode()).put("status", a.status().wireName()).put("devicesSeen", f.devicesSeen())
          .put("devicesStormed", f.devicesStormed()).put("alerts", f.alerts())
          .put("alertsPerDeviceDay", a.alertsPerDeviceDay()).put("evidence", evidence(a, period))
          .put("annotations", notes));
    }
    return new JsonObject().put("computedAt", RegisterRoutes.iso(s.computedAt())).put("window", period.copy())
        .put("method", method).put("total", total).put("truncated", total > limit).put("entries", entries);
  }

  private static JsonObject evidence(Assessment a, JsonObject period) {
    JsonObject e = new JsonObject().put("test", StormRegister.TEST);
    Assessment.Evidence ev = a.evidence();
    if (ev == null) {
      return e.putNull("pValue").putNull("adjustedPValue").putNull("rateRatio").putNull("rateRatioLowerBound")
          .put("period", period.copy()).put("excluded", a.excluded());
    }
    return e.put("pValue", ev.pValue()).put("log10PValue", ev.log10PValue()).put("adjustedPValue", ev.adjustedPValue())
        .put("rateRatio", ev.rateRatio()).put("rateRatioLowerBound", ev.lowerBound()).put("confidence", ev.confidence())
        .put("rest", new JsonObject().put("devicesSeen", ev.restSeen()).put("devicesStormed", ev.restStormed()))
        .put("period", period.copy());
  }
}
