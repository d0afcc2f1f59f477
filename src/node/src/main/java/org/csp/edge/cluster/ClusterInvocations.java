package org.csp.edge.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.partition.Partition;
import com.hazelcast.partition.PartitionService;
import io.vertx.core.json.JsonObject;
import org.csp.edge.alert.Eui64;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Hazelcast invocations this node starts on the hub map, by kind and by where they go: {@code local} when the
 * partition owner of the target key is this member, {@code remote} otherwise (a network round trip). One invocation
 * is one request and its response: a {@code submitToKey}, one member's share of a {@code submitToKeys} (Hazelcast
 * sends one operation per member), one {@link DecideOnOwnerTask} task. The owner's copies to the partition's backups are
 * not counted as invocations: they are a second hop made by the owner, once per hub operation and backup.
 * {@link #hubOperations} counts those operations, {@link #backupCopies} the copies they made: one per configured
 * backup ({@code NODE_HUB_BACKUPS}) that the cluster has a member for, none on a single member. See
 * src/docs/design.md, "Round trips per alert".
 */
public final class ClusterInvocations {
  /** What the invocation does; {@link #label()} is the metric's and the status's name. */
  public enum Kind {
    /** One hub's alerts of one message: {@code submitToKey(DecideAlertsOperation)}. */
    APPLY,
    /** Several hubs' alerts of one message on one remote owner: one {@link DecideOnOwnerTask} task. */
    APPLY_ON_OWNER,
    SETTLE,
    ANNOUNCE,
    DELIVERED,
    SHARE_STEP,
    REINDEX,
    /** The idle-expiry scan (the oldest member, one per member; src/docs/design.md). */
    FORGET_IDLE;

    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private static final Kind[] KINDS = Kind.values();
  private final LongAdder[] local = adders();
  private final LongAdder[] remote = adders();
  private final LongAdder hubOperations = new LongAdder();
  private final LongAdder backupCopies = new LongAdder();
  /** Null for a bare map in a unit test: everything counts as local. */
  private final PartitionService partitions;
  /** How many backup copies each hub operation makes now. */
  private final IntSupplier backupsPerOperation;

  /**
   * The partitions by id, when {@link HubPartitions} agrees with Hazelcast here; an empty array when it does not.
   * Taken at the first look (Hazelcast's partition objects answer their current owner).
   */
  private volatile Partition[] byId;

  public ClusterInvocations(PartitionService partitions, IntSupplier backupsPerOperation) {
    this.partitions = partitions;
    this.backupsPerOperation = backupsPerOperation;
  }

  /**
   * The member owning {@code key}'s partition; null while it is not known (partitions not assigned yet). Asked for
   * every alert: a hub id that is an EUI-64 has its partition computed from its bits, without serialising the id
   * once more than the operation will.
   */
  Member owner(Object key) {
    if (partitions == null) return null;
    if (key instanceof String hubId) {
      long hub = Eui64.packUpper(hubId);
      Partition[] known = hub == Eui64.NOT_AN_ID ? null : partitionsById();
      if (known != null && known.length > 0) return known[HubPartitions.of(hub, known.length)].getOwner();
    }
    Partition p = partitions.getPartition(key);
    return p == null ? null : p.getOwner();
  }

  private Partition[] partitionsById() {
    Partition[] known = byId;
    if (known == null) {
      java.util.Set<Partition> all = partitions.getPartitions();
      Partition[] ids = new Partition[all.size()];
      for (Partition p : all) if (p.getPartitionId() < ids.length) ids[p.getPartitionId()] = p;
      boolean complete = java.util.Arrays.stream(ids).allMatch(java.util.Objects::nonNull);
      known = complete && HubPartitions.agree(partitions, ids.length) ? ids : new Partition[0];
      byId = known;
    }
    return known;
  }

  /** One invocation on {@code key}'s partition owner. */
  void one(Kind kind, Object key) {
    onOwner(kind, owner(key));
  }

  /**
   * One invocation on a key whose owner the caller just looked up with {@link #owner} (null: not known), counted as
   * {@link #one} would count it, without hashing the key again.
   */
  void onOwner(Kind kind, Member owner) {
    add(kind, owner == null ? partitions == null : owner.localMember());
  }

  /** One invocation to {@code owner} (null: unknown, counted as remote). */
  void to(Kind kind, Member owner) {
    add(kind, owner != null && owner.localMember());
  }

  /** Operations on single hubs' states that change them, and the backup copies each makes as the cluster is now. */
  void hubOperations(int n) {
    hubOperations.add(n);
    backupCopies.add((long) n * backupsPerOperation.getAsInt());
  }

  private void add(Kind kind, boolean isLocal) {
    (isLocal ? local : remote)[kind.ordinal()].increment();
  }

  public long count(Kind kind, boolean isLocal) {
    return (isLocal ? local : remote)[kind.ordinal()].sum();
  }

  public long remoteTotal() {
    long n = 0;
    for (LongAdder a : remote) n += a.sum();
    return n;
  }

  public long localTotal() {
    long n = 0;
    for (LongAdder a : local) n += a.sum();
    return n;
  }

  public long hubOperations() {
    return hubOperations.sum();
  }

  public long backupCopies() {
    return backupCopies.sum();
  }

  /**
   * {@code {"remote": n, "local": n, "hubOperations": n, "backupCopies": n, "byKind": {"apply": {"local": n,
   * "remote": n}, ...}}}
   */
  public JsonObject toJson() {
    JsonObject byKind = new JsonObject();
    for (Kind k : KINDS) byKind.put(k.label(), new JsonObject().put("local", count(k, true)).put("remote", count(k, false)));
    return new JsonObject().put("remote", remoteTotal()).put("local", localTotal())
        .put("hubOperations", hubOperations()).put("backupCopies", backupCopies()).put("byKind", byKind);
  }

  private static LongAdder[] adders() {
    LongAdder[] a = new LongAdder[KINDS.length];
    for (int i = 0; i < a.length; i++) a[i] = new LongAdder();
    return a;
  }
}
