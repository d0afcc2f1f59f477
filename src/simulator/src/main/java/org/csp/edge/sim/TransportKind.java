package org.csp.edge.sim;

import java.util.Locale;

/** How the simulator reaches the node. Scenarios need it: some bad inputs only exist on MQTT (a topic). */
public enum TransportKind {
  MQTT, HTTP;

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TransportKind parse(String text) {
    for (TransportKind kind : values()) {
      if (kind.cliName().equalsIgnoreCase(text)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown transport '" + text + "' (expected mqtt or http)");
  }
}
