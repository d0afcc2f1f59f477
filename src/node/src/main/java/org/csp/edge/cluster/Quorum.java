package org.csp.edge.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.splitbrainprotection.SplitBrainProtection;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Whether this member sees enough of the cluster to decide: the split-brain protection {@value #NAME} on the hub
 * map and the group records (ClusterConfigs, from {@code csp.cluster.quorum}). Without it Hazelcast refuses every
 * operation on those maps, so a member cut off from the majority acknowledges nothing and raises nothing, and the
 * side that keeps deciding is the only one (src/docs/design.md, "Split brain"). Member-local: no invocation.
 */
public final class Quorum {
  /** The split-brain protection's name in the member's configuration. */
  public static final String NAME = "csp-quorum";

  private final HazelcastInstance member;
  /** Read once: the configuration does not change, and the status is read after the member has stopped too. */
  private final int required;
  private final LongAdder refusedAlerts = new LongAdder();
  private volatile boolean refusing;
  /** Looked up once: asked on every batch, before and after deciding it. */
  private volatile SplitBrainProtection protection;

  public Quorum(HazelcastInstance member) {
    this.member = member;
    this.required = required(member.getConfig());
  }

  /** Members the cluster needs for this member to decide; 1 when no quorum is configured. */
  public int required() {
    return required;
  }

  static int required(Config config) {
    var protection = config.getSplitBrainProtectionConfigs().get(NAME);
    return protection == null || !protection.isEnabled() ? 1 : protection.getMinimumClusterSize();
  }

  /** Whether this member's side of the cluster has the quorum (always, when none is configured). */
  public boolean present() {
    if (required() <= 1) return true;
    if (!member.getLifecycleService().isRunning()) return false;
    SplitBrainProtection protection = this.protection;
    if (protection == null) {
      protection = member.getSplitBrainProtectionService().getSplitBrainProtection(NAME);
      this.protection = protection;
    }
    return protection.hasMinimumSize();
  }

  /**
   * Whether this running member's side has lost the quorum: its alerts are refused for resend. False while the
   * member stops (its operations then fail as unavailable, not for want of quorum).
   */
  public boolean lost() {
    return required() > 1 && member.getLifecycleService().isRunning() && !present();
  }

  /** Whether {@code failure} (or one of its causes) is Hazelcast refusing an operation for lack of quorum. */
  public static boolean refusal(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SplitBrainProtectionException) return true;
      if (t.getCause() == t) break;
    }
    return false;
  }

  /**
   * Counts alerts refused for lack of quorum; true for the first of a run of refusals (to log once, not per hub).
   */
  boolean refused(int alerts) {
    refusedAlerts.add(alerts);
    boolean first = !refusing;
    refusing = true;
    return first;
  }

  /** A decision went through: the next refusal starts a new run. True when this ends a run of refusals. */
  boolean decided() {
    boolean wasRefusing = refusing;
    refusing = false;
    return wasRefusing;
  }

  /** Alerts refused since the start because this member's side had no quorum (also counted as unavailable). */
  public long refusedAlerts() {
    return refusedAlerts.sum();
  }
}
