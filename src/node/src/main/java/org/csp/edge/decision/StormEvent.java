package org.csp.edge.decision;

import java.util.Map;
import org.csp.edge.alert.Dmc;

/** What a hub's storm state reports upward; the upstream side turns each into a wire-format event. */
public sealed interface StormEvent extends HubEvent {

  String alertCode();

  /** Hub, code and the storm's start: one storm is one identity, however often its events are published. */
  default String stormId() {
    return hubId() + ":" + alertCode() + ":";
  }

  /** A hub went into consolidation for a code. */
  record Started(String hubId, String alertCode, long at, double rate, int threshold, long windowMillis)
      implements StormEvent {
    @Override
    public String eventId() {
      return "storm-start:" + stormId() + at;
    }
  }

  /**
   * The alerts of one hub and code over one period, held for one {@code reason}: a storm, a silence ({@code heldBy}
   * its id) or an inhibition rule ({@code heldBy} its name, {@code sourceAlertCode} the code that triggered it). {@code sequence} numbers the
   * periods of a storm, so that the summary has an identity of its own (the same period can never be emitted as two
   * different events). {@code devices} lists at most {@code maxDevicesPerSummary}, those with the most alerts;
   * {@code otherDevices} is how many tracked devices were folded, {@code otherCount} their alerts plus {@code
   * untrackedAlerts} (from devices past the hub's {@code maxDevicesPerHub}, not told apart), so that {@code count}
   * is the listed devices' counts plus {@code otherCount}.
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
      int otherDevices,
      int otherCount,
      int untrackedAlerts,
      HoldReason reason,
      int count,
      boolean last,
      String heldBy,
      String sourceAlertCode)
      implements StormEvent {

    /** A storm's summary: held by no silence or rule. */
    public Summary(String hubId, String alertCode, long stormStartedAt, int sequence, long periodStart, long periodEnd,
        String firstRaisedAt, String lastRaisedAt, Map<String, DeviceCount> devices, int otherDevices, int otherCount,
        int untrackedAlerts, HoldReason reason, int count, boolean last) {
      this(hubId, alertCode, stormStartedAt, sequence, periodStart, periodEnd, firstRaisedAt, lastRaisedAt, devices,
          otherDevices, otherCount, untrackedAlerts, reason, count, last, null, null);
    }

    /**
     * A storm's period by its storm and sequence; a held period (silenced, inhibited) by what held it and when it
     * started: one hub holds at most one period of a code for one silence or rule at a time.
     */
    @Override
    public String eventId() {
      if (reason == HoldReason.STORM) return "summary:" + stormId() + stormStartedAt + ":" + sequence;
      return "summary:" + stormId() + reason.wireName() + ":" + heldBy + ":"
          + (sourceAlertCode == null ? "" : sourceAlertCode + ":") + periodStart;
    }
  }

  /** The storm is over: totals over its whole length. */
  record Ended(String hubId, String alertCode, long startedAt, long endedAt, long totalConsolidated, int summaries)
      implements StormEvent {
    @Override
    public String eventId() {
      return "storm-end:" + stormId() + startedAt;
    }
  }

  /** One device's alerts within a summary period. */
  record DeviceCount(int count, String deviceType, Dmc dmc) {}
}
