package org.csp.edge.security;

/** Who a connection or a request was authenticated as, how, and which hubs it may send alerts for. */
public record Principal(String name, SecurityStats.LoginMethod method, HubScope hubs) {
  public static final Principal ANONYMOUS = new Principal("anonymous", SecurityStats.LoginMethod.ANONYMOUS, HubScope.ANY);
}
