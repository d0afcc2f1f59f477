package org.csp.edge.consolidation;

import java.util.Map;

/** What the regional burst detector reports: a burst on a code starts, a group of hubs is gathered, it ends. */
public sealed interface RegionalEvent {
  String alertCode();

  record Started(String alertCode, long at, double rate, int threshold, long windowMillis) implements RegionalEvent {}

  /** One code from many hubs in one short period; {@code hubs} maps hub id to its number of alerts. */
  record Group(String alertCode, long burstStartedAt, int sequence, long periodStart, long periodEnd,
      Map<String, Integer> hubs, int count) implements RegionalEvent {}

  record Ended(String alertCode, long startedAt, long endedAt, long totalGrouped, int groups) implements RegionalEvent {}
}
