package org.csp.edge.decision;

import java.util.Map;

/**
 * An open held period of one hub as the cluster's serializer writes it (org.csp.edge.cluster.state): alerts of one
 * code held for one reason by one silence ({@code heldBy} its id) or one inhibition rule ({@code heldBy} its name,
 * {@code sourceAlertCode} the code that triggered it), counted per device until {@code periodEnd}.
 */
public record HeldPeriodParts(
    String alertCode,
    HoldReason reason,
    String heldBy,
    String sourceAlertCode,
    long periodStart,
    long periodEnd,
    int count,
    String firstRaisedAt,
    long firstRaisedMillis,
    String lastRaisedAt,
    long lastRaisedMillis,
    Map<String, StormEvent.DeviceCount> devices,
    int untracked) {}
