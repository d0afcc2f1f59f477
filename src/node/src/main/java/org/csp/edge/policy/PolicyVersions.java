package org.csp.edge.policy;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.csp.edge.config.PolicyJson;
import org.csp.edge.decision.AlertPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy in force, cluster-wide. Every version lives in the Hazelcast map {@value #MAP_NAME} (version number to
 * the version's JSON), written once with {@code putIfAbsent}, so that two members changing the policy at the same
 * moment never take the same number: the loser takes the next. The highest version is in force. Each member learns
 * of a new version from the map's entry listener (milliseconds), and reads the map again when a member leaves or a
 * split heals, in case the member that wrote a version died before its event went out; so a change is either in
 * force everywhere or nowhere. Every member appends every version to its own file ({@link PolicyLog}) and, at
 * start, puts back into the map the versions its file holds: the versions survive a restart of the whole cluster.
 *
 * <p>The configuration file's policy is the base: version 1 when the cluster has none. When a member starts with a
 * file policy other than the last one recorded (the base): if the policy in force is that base (no change through
 * the API, or one rolled back to it), the file's policy becomes a new version (origin {@code file}), so that editing
 * the file and rolling the members still changes the policy; otherwise the API's version stays in force, and the
 * member logs it and says so in {@code GET /v1/policy} ({@code fileDiffers}): the operator decides, with a PUT, or
 * a rollback to the base and a restart (src/docs/operations.md). A file whose policy an earlier file version held,
 * which a later one replaced, is an older copy (a member restarted before the rollout reached it), never recorded.
 *
 * <p>Blocking (Hazelcast calls, file appends): used from worker threads and Hazelcast's event threads.
 */
public final class PolicyVersions implements Supplier<AlertPolicy> {
  /** Its file under the data directory: every version this member saw. */
  public static final String FILE = PolicyLog.FILE_NAME;
  private static final Logger log = LoggerFactory.getLogger(PolicyVersions.class);
  public static final String MAP_NAME = "csp-policy-versions";
  public static final int BASE_VERSION = 1;

  /** A version and the policy read from its document, swapped whole. */
  private record InForce(PolicyVersion version, AlertPolicy policy) {}

  private final HazelcastInstance hazelcast;
  private final IMap<Integer, String> map;
  private final PolicyLog file;
  private final PolicyAudit audit;
  private final Clock clock;
  private final String nodeId;
  private final JsonObject fileDocument;
  /** What this member's file holds, by version: a version is appended when the map has one that differs. */
  private final Map<Integer, String> persisted = new ConcurrentHashMap<>();
  private volatile InForce current;

  private PolicyVersions(HazelcastInstance hazelcast, AlertPolicy filePolicy, Path dataDir, String nodeId,
      PolicyAudit audit, Clock clock) {
    this.hazelcast = hazelcast;
    this.map = hazelcast.getMap(MAP_NAME);
    this.file = new PolicyLog(dataDir);
    this.audit = audit;
    this.clock = clock;
    this.nodeId = nodeId;
    this.fileDocument = PolicyJson.write(filePolicy);
    this.current = new InForce(new PolicyVersion(0, clock.instant(), "config:" + nodeId, "", PolicyVersion.Origin.FILE,
        fileDocument), filePolicy);
  }

  /**
   * Joins the cluster's versions: puts back those of this member's file, records the base (or a changed file
   * policy), writes down those it lacks, and follows the map from now on. Blocking.
   */
  public static PolicyVersions open(HazelcastInstance hazelcast, AlertPolicy filePolicy, Path dataDir, String nodeId,
      PolicyAudit audit, Clock clock) throws IOException {
    PolicyVersions versions = new PolicyVersions(hazelcast, filePolicy, dataDir, nodeId, audit, clock);
    versions.join();
    return versions;
  }

  private void join() throws IOException {
    audit.showVersion(() -> current.version().version());
    map.addEntryListener((EntryAddedListener<Integer, String>) this::added, true);
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent e) {}

      @Override
      public void memberRemoved(MembershipEvent e) {
        refresh();
      }
    });
    hazelcast.getLifecycleService().addLifecycleListener(e -> {
      if (e.getState() == LifecycleEvent.LifecycleState.MERGED) refresh();
    });
    int putBack = 0;
    for (PolicyVersion v : file.read()) {
      persisted.put(v.version(), v.encode());
      if (map.putIfAbsent(v.version(), v.encode()) == null) putBack++;
    }
    if (putBack > 0) log.info("policy: {} version(s) of {} put back into the cluster", putBack, file.file());
    if (map.isEmpty()) {
      PolicyVersion base = new PolicyVersion(BASE_VERSION, clock.instant(), "config:" + nodeId,
          "the configuration file's policy", PolicyVersion.Origin.FILE, fileDocument);
      map.putIfAbsent(BASE_VERSION, base.encode());
    }
    writeDownWhatIsMissing();
    refresh();
    recordAChangedFile();
    PolicyVersion v = current.version();
    log.info("policy: version {} in force ({} by {} at {})", v.version(), v.origin().wireName(), v.changedBy(), v.changedAt());
  }

  /**
   * Records this member's file policy as a new version when it differs from the base and the base is in force.
   * Members starting together with the same new file record it once: the version is taken only right after the
   * one this member looked at; when another member took that number first, this one looks again.
   */
  private void recordAChangedFile() {
    while (true) {
      PolicyVersion inForce = current.version();
      PolicyVersion base = base(inForce.version());
      if (base == null || same(base.document(), fileDocument)) return;
      PolicyVersion replaced = replacedFile(base);
      if (replaced != null) {
        log.warn("policy: this member's configuration file has the policy of version {}, which the file of version {}"
            + " replaced: a member not rolled to the newer file yet; version {} stays in force (GET /v1/policy shows"
            + " fileDiffers). To go back to version {}'s policy, roll it back: policy rollback {}",
            replaced.version(), base.version(), inForce.version(), replaced.version(), replaced.version());
        return;
      }
      if (!same(inForce.document(), base.document())) {
        log.warn("policy: this member's configuration file has a policy other than the base of version {} (version {});"
            + " version {}, made through the API, stays in force (GET /v1/policy shows fileDiffers)",
            inForce.version(), base.version(), inForce.version());
        return;
      }
      PolicyVersion made = new PolicyVersion(inForce.version() + 1, clock.instant(), "config:" + nodeId,
          "the configuration file's policy changed", PolicyVersion.Origin.FILE, fileDocument);
      if (map.putIfAbsent(made.version(), made.encode()) == null) {
        take(made);
        audit.changed(PolicyAudit.Action.FILE, made, diff(base.document(), fileDocument), null);
        return;
      }
      refresh();
    }
  }

  /**
   * The earlier file version whose policy this member's file holds, if a later file version replaced it: the file is
   * then an older copy (a member restarted before a rollout reached it), not a change to record. Null otherwise.
   */
  private PolicyVersion replacedFile(PolicyVersion base) {
    for (PolicyVersion v : all().headMap(base.version(), false).values()) {
      if (v.origin() == PolicyVersion.Origin.FILE && same(v.document(), fileDocument)) return v;
    }
    return null;
  }

  /**
   * Whether two documents hold the same policy, whatever their form: a release before 2026-12-07 wrote every code's
   * rule whole, this one only what differs from the defaults.
   */
  private static boolean same(JsonObject a, JsonObject b) {
    return PolicyJson.canonical(a).equals(PolicyJson.canonical(b));
  }

  /** What changed between two versions' policies, compared in one form ({@link #same}). */
  static JsonArray diff(JsonObject from, JsonObject to) {
    return PolicyDiff.between(PolicyJson.canonical(from), PolicyJson.canonical(to));
  }

  /** The policy in force: what the decisions read, alert by alert. */
  @Override
  public AlertPolicy get() {
    return current.policy();
  }

  public PolicyVersion inForce() {
    return current.version();
  }

  /** Whether this member's configuration file has a policy other than the base of the version in force. */
  public boolean fileDiffers() {
    PolicyVersion base = base(current.version().version());
    return base != null && !same(base.document(), fileDocument);
  }

  /** The version with the highest number at or below {@code version} whose document came from a file. */
  public PolicyVersion base(int version) {
    TreeMap<Integer, PolicyVersion> all = all();
    for (PolicyVersion v : all.headMap(version, true).descendingMap().values()) {
      if (v.origin() == PolicyVersion.Origin.FILE) return v;
    }
    return null;
  }

  /** Every version, by number. */
  public TreeMap<Integer, PolicyVersion> all() {
    TreeMap<Integer, PolicyVersion> all = new TreeMap<>();
    map.entrySet().forEach(e -> all.put(e.getKey(), PolicyVersion.decode(e.getValue())));
    return all;
  }

  /** A new version whose document is {@code document}, already checked; in force here when this returns. */
  public PolicyVersion change(JsonObject document, String by, String comment) {
    PolicyVersion made = append(document, by, comment, PolicyVersion.Origin.API);
    audit.changed(PolicyAudit.Action.PUT, made, diff(before(made).document(), document), null);
    return made;
  }

  /** A new version whose document is version {@code version}'s; null when there is no such version. */
  public PolicyVersion rollback(int version, String by, String comment) {
    String text = map.get(version);
    if (text == null) return null;
    PolicyVersion target = PolicyVersion.decode(text);
    String why = "rollback to version " + version + (comment == null || comment.isBlank() ? "" : ": " + comment);
    PolicyVersion made = append(target.document(), by, why, PolicyVersion.Origin.API);
    audit.changed(PolicyAudit.Action.ROLLBACK, made, diff(before(made).document(), target.document()), version);
    return made;
  }

  /** The version made just before {@code v} (itself for the first). */
  public PolicyVersion before(PolicyVersion v) {
    String text = map.get(v.version() - 1);
    return text == null ? v : PolicyVersion.decode(text);
  }

  /**
   * The next free number, taken with {@code putIfAbsent}: when another member took it first, the one after. Each
   * refusal means another version was made, so this ends.
   */
  private PolicyVersion append(JsonObject document, String by, String comment, PolicyVersion.Origin origin) {
    while (true) {
      int next = highest() + 1;
      PolicyVersion made = new PolicyVersion(next, clock.instant(), by, comment == null ? "" : comment, origin, document);
      if (map.putIfAbsent(next, made.encode()) == null) {
        take(made);
        return made;
      }
    }
  }

  private int highest() {
    int max = 0;
    for (Integer k : map.keySet()) max = Math.max(max, k);
    return max;
  }

  private void added(EntryEvent<Integer, String> e) {
    PolicyVersion v = PolicyVersion.decode(e.getValue());
    take(v);
  }

  /** Reads the map again: the highest version is in force, and this member's file gets what it lacks. */
  private void refresh() {
    try {
      int max = highest();
      String text = map.get(max);
      if (text != null) take(PolicyVersion.decode(text));
      writeDownWhatIsMissing();
    } catch (RuntimeException | IOException e) {
      log.warn("policy: cannot read the cluster's versions ({}); version {} stays in force", e.toString(),
          current.version().version());
    }
  }

  private void writeDownWhatIsMissing() throws IOException {
    List<PolicyVersion> missing = new ArrayList<>();
    for (Map.Entry<Integer, String> e : new TreeMap<>(map).entrySet()) {
      if (!e.getValue().equals(persisted.get(e.getKey()))) missing.add(PolicyVersion.decode(e.getValue()));
    }
    for (PolicyVersion v : missing) persist(v);
  }

  /** Writes {@code v} down here and puts it in force if it is the highest this member has seen. */
  private void take(PolicyVersion v) {
    try {
      persist(v);
    } catch (IOException e) {
      log.error("policy: cannot write version {} to {} ({}); it is in the cluster's map, not on this member's disk",
          v.version(), file.file(), e.toString());
    }
    AlertPolicy policy;
    try {
      policy = PolicyJson.read(v.document());
    } catch (RuntimeException e) {
      log.error("policy: version {} does not read ({}); version {} stays in force", v.version(), e.getMessage(),
          current.version().version());
      return;
    }
    synchronized (this) {
      // The same number with another document only after a split healed: the cluster's copy is the one kept.
      if (v.version() < current.version().version() || v.equals(current.version())) return;
      current = new InForce(v, policy);
    }
    log.info("policy: version {} in force ({} by {}: {})", v.version(), v.origin().wireName(), v.changedBy(), v.comment());
  }

  private void persist(PolicyVersion v) throws IOException {
    String text = v.encode();
    synchronized (persisted) {
      if (text.equals(persisted.get(v.version()))) return;
      file.append(v);
      persisted.put(v.version(), text);
    }
  }

  /** The history: every version with the change it made to the one before. */
  public JsonArray history() {
    JsonArray out = new JsonArray();
    PolicyVersion previous = null;
    for (PolicyVersion v : all().values()) {
      JsonObject entry = new JsonObject().put("version", v.version()).put("changedAt", v.changedAt().toString())
          .put("changedBy", v.changedBy()).put("comment", v.comment()).put("origin", v.origin().wireName())
          .put("diff", previous == null ? new JsonArray() : diff(previous.document(), v.document()));
      out.add(entry);
      previous = v;
    }
    return out;
  }
}
