package org.csp.edge.security;

/** Why the node closed a client's connection itself. */
public enum Drop {
  /** CONNECT did not arrive in time (MQTT), or a request did not arrive whole in time (HTTP): a slow loris. */
  SLOW_CLIENT,
  /** No packet for limits.idleTimeout. */
  IDLE,
  /** Refusals went on for limits.dropAfter: over its rate, or sending what it may not. */
  PERSISTENT_ABUSE,
  /** MQTT QoS 1/2: more than limits.burst messages ahead of its rate, not waiting for its PUBACKs. */
  OVER_RATE,
  /** A new MQTT connection of the same principal came with its client id (MQTT 3.1.1, 3.1.4-2). */
  TAKEN_OVER,
  /** Bytes that are not the protocol. */
  PROTOCOL_ERROR;

  public String wireName() {
    return name().toLowerCase();
  }
}
