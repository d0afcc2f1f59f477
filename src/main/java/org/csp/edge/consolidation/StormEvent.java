package org.csp.edge.consolidation;

import java.io.Serializable;
import java.util.Map;
import org.csp.edge.alert.Dmc;

/**
 * What a hub's storm state reports upward; the upstream side turns each into a wire-format event. Serializable:
 * Hazelcast returns entry-processor results as data, even from the local member.
 */
public sealed interface StormEvent extends Serializable {

  String hubId();

  String alertCode();

  /** A hub went into consolidation for a code. */
  record Started(String hubId, String alertCode, long at, double rate, int threshold, long windowMillis)
      implements StormEvent {}

  /**
   * The alerts of one hub and code over one period. {@code sequence} numbers the periods of a storm, so that the
   * summary has an identity of its own (the same period can never be emitted as two different events).
   */
  record Summary(
      String hubId,
      String alertCode,
      long stormStartedAt,
      int sequence,
      long periodStart,
      long periodEnd,
      String firstRaisedAt,
      String lastRaisedAt,
      Map<String, DeviceCount> devices,
      int count,
      boolean last)
      implements StormEvent {}

  /** The storm is over: totals over its whole length. */
  record Ended(String hubId, String alertCode, long startedAt, long endedAt, long totalConsolidated, int summaries)
      implements StormEvent {}

  /** One device's alerts within a summary period. */
  record DeviceCount(int count, String deviceType, Dmc dmc) implements Serializable {}
}
