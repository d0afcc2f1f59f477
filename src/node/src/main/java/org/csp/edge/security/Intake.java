package org.csp.edge.security;

/** The two southbound protocols; a bounded metrics label. */
public enum Intake {
  MQTT, HTTP;

  public String label() {
    return name().toLowerCase();
  }
}
