package org.csp.edge.decision;

import java.util.Map;

/**
 * An open storm of one hub and code as the cluster's serializer writes it (org.csp.edge.cluster.state): every count
 * the storm keeps, by name. {@code devices} is null between a summary and the period's first alert; {@code untracked}
 * counts the period's alerts from devices past the hub's bound.
 */
public record OpenStormParts(
    String alertCode,
    long startedAt,
    long total,
    int summariesSent,
    long periodStart,
    int periodCount,
    String firstRaisedAt,
    long firstRaisedMillis,
    String lastRaisedAt,
    long lastRaisedMillis,
    Map<String, StormEvent.DeviceCount> devices,
    int untracked,
    long quietWindowStart,
    int quietWindowCount) {}
