package org.csp.edge.decision;

import java.util.Map;

/**
 * What one hub needs from the member that owns it, read off its state after every operation: when it next needs
 * settling, whether events wait for the broker, its open group shares (by code) and the
 * groups it has shares sealed into (group id to the member that sealed them), and when this was read off
 * ({@link System#nanoTime}): an entry can go stale when its hub's partition left this member and came back.
 * {@code storms}: the codes the hub storms on, each with the alerts consolidated in its open storm so far (what the
 * console's live page ranks hubs by). {@code holding}: alerts silenced or inhibited wait for their summary.
 * Member-local bookkeeping only.
 */
public record HubAttention(long settleAt, boolean eventsWaiting, Map<String, GroupShare> openShares, Map<String, String> sealedInto,
    long notedAtNanos, Map<String, Long> storms, boolean holding) {

  /** Whether anything of the hub falls due: a storm's period or end, a held period, an inhibition in force. */
  public boolean settling() {
    return settleAt != Long.MAX_VALUE;
  }

  /**
   * The same without its open shares (kept apart, by code, for hubs with an EUI-64 id), or null when the hub needs
   * nothing else: no settling, nothing waiting or held, no storm, no share sealed.
   */
  public HubAttention withoutOpenShares() {
    if (!settling() && !eventsWaiting && sealedInto.isEmpty() && storms.isEmpty() && !holding) return null;
    return openShares.isEmpty() ? this
        : new HubAttention(settleAt, eventsWaiting, Map.of(), sealedInto, notedAtNanos, storms, holding);
  }

  /** Whether one of its codes storms (an inhibition in force alone is not a storm). */
  public boolean storming() {
    return !storms.isEmpty();
  }
}
