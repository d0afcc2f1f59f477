package org.csp.edge.decision;

import java.time.Duration;
import java.util.Set;

/**
 * The inhibition rule the default policy ships (src/docs/operations.md, "Inhibition rules", says where its codes
 * come from): after power comes back to a home, its meters report the restoration and the devices of its Home Area
 * Network join it again, each with an alert; the joins are held into one summary per hub.
 */
public final class Inhibitions {
  private Inhibitions() {}

  /** GBCS 0x8F35 Supply Outage Restored, 0x8F36 the same after an outage of 3 minutes or more; 0x8183 Device joined SMHAN. */
  public static final Inhibition HUB_POWER_RESTORED = new Inhibition("hub-power-restored", Set.of("8F35", "8F36"),
      Set.of("8183"), Inhibition.Scope.HUB, Duration.ofMinutes(10));
}
