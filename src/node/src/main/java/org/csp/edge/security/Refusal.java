package org.csp.edge.security;

/**
 * Why the security layer refused a connection, a login or a request (src/docs/security.md). Refused alerts are not
 * here: a message refused for its content or its rate is counted as rejected alerts, by {@code RejectReason}.
 */
public enum Refusal {
  /** MQTT CONNECT with a user name the credentials file does not list, or a wrong password. */
  BAD_CREDENTIALS("wrong user name or password"),
  /** No credentials (and no client certificate) where they are required. */
  NO_CREDENTIALS("credentials required"),
  /** The TLS handshake failed: no or an untrusted client certificate where one is required, or not TLS at all. */
  TLS_HANDSHAKE("TLS handshake failed"),
  /** Over limits.maxMqttConnections / maxHttpConnections. */
  CONNECTION_LIMIT("too many connections"),
  /** Over limits.maxMqttConnectionsPerAddress / maxHttpConnectionsPerAddress: one address may not take them all. */
  ADDRESS_LIMIT("too many connections from this address"),
  /** MQTT client id longer than limits.maxClientIdLength. */
  CLIENT_ID("client id too long"),
  /** MQTT CONNECT whose user name, password, will and properties keep more than the node allows a connection. */
  CONNECT_TOO_LARGE("user name, password, will or properties too large"),
  /** More password checks waiting than security.mqtt.maxPendingLogins. */
  LOGIN_BACKLOG("too many logins waiting"),
  /** More failed password checks from the client's address than security.mqtt.failedLoginsPerAddress a window. */
  LOGIN_THROTTLED("too many failed logins from this address"),
  /** An MQTT packet on a connection with no session: sent before CONNECT, or after the node closed it. */
  NOT_CONNECTED("a packet before CONNECT or after the connection closed"),
  /** MQTT SUBSCRIBE: the node is not a broker; clients may only publish to alerts/... */
  SUBSCRIBE("subscribe not allowed"),
  /** HTTP request the server could not parse: a request line or headers too long (414, 431), or bad syntax (400). */
  MALFORMED_REQUEST("an HTTP request that could not be parsed"),
  /** HTTP request without a valid token or certificate. */
  UNAUTHENTICATED("no valid bearer token or client certificate"),
  /** HTTP request that needs the admin role. */
  FORBIDDEN("needs an admin token"),
  /** HTTP request over the connection's rate: 429, nothing taken. */
  RATE_LIMITED("over the connection's rate");

  private final String explanation;

  Refusal(String explanation) {
    this.explanation = explanation;
  }

  public String wireName() {
    return name().toLowerCase();
  }

  public String explanation() {
    return explanation;
  }
}
