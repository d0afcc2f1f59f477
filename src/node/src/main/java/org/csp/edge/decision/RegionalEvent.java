package org.csp.edge.decision;

import java.util.Map;

/** What regional grouping reports: a burst on a code starts here, a group of hubs is sealed, the burst ends here. */
public sealed interface RegionalEvent {
  String alertCode();

  record Started(String alertCode, long at, double rate, int threshold, long windowMillis) implements RegionalEvent {}

  /** One code from many hubs in one short period; {@code hubs} maps hub id to its number of alerts. */
  /**
   * {@code part} of {@code parts} when one sweep sealed the code's open shares into several groups (more hubs than one
   * group lists): they share the period's start, so a DSP knows when it has the whole of it; 0 of 0 when alone.
   */
  record Group(String groupId, String alertCode, long burstStartedAt, long periodStart, long periodEnd,
      Map<String, Integer> hubs, int count, int part, int parts) implements RegionalEvent {}

  /** {@code totalGrouped}: alerts this member took into groups during the burst. */
  record Ended(String alertCode, long startedAt, long endedAt, long totalGrouped) implements RegionalEvent {}
}
