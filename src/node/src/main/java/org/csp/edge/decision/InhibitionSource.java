package org.csp.edge.decision;

/**
 * A source alert that started an inhibition on a hub: the rule, the device it came from (null for a rule of hub
 * scope, which inhibits every device of the hub), the source's code and until when its targets are held.
 */
public record InhibitionSource(String rule, String deviceId, String sourceAlertCode, long until) {}
