package org.csp.edge.decision;

import java.time.Instant;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Dmc;

/** Builds valid alerts for decision tests. */
public final class TestAlerts {
  public static final String HUB = "00-1B-C5-0C-00-00-00-01";
  public static final String GPF = "00-1B-C5-0C-00-00-00-02";
  public static final String ESME = "00-1B-C5-0C-00-00-00-03";
  public static final Dmc FAULTY = new Dmc("Acme", "GPF-2", "1.0.3");

  private TestAlerts() {}

  public static Alert alert(String hub, String device, String code, long counter, long raisedAtMillis) {
    return new Alert(hub, device, "GPF", code, counter, Instant.ofEpochMilli(raisedAtMillis).toString(),
        raisedAtMillis, FAULTY, null);
  }
}
