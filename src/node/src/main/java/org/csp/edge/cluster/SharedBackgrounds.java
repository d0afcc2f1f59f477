package org.csp.edge.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The regional backgrounds the members learned (decision.RegionalBursts), shared so that a member that starts while
 * the region storms does not learn the storm as its background: each member publishes what it learned, and a member
 * that starts takes the region's from the others instead of warming up (src/docs/design.md, "Regional detection").
 * Each member learns from the hubs it owns, about 1/N of the region's alerts with N members: a record carries the N
 * it was learned with, and a member starting takes the region's figure divided by the members now.
 *
 * <p>A record is a small JSON document (versioned by its field {@code v}; readers ignore fields they do not know)
 * under the member's id, which expires unless published again: a member that is gone stops counting. The same
 * document is this node's own record in its data directory, for a node that restarts alone. The Hazelcast
 * operations block: call them from a worker.
 */
public final class SharedBackgrounds {
  public static final String MAP_NAME = "csp-regional-backgrounds";
  static final int VERSION = 1;
  /** Publications a member may miss before its record expires (a member that died stops counting). */
  private static final int MISSED_PUBLICATIONS = 6;

  private final HazelcastInstance member;

  public SharedBackgrounds(HazelcastInstance member) {
    this.member = member;
  }

  /** A member's record: backgrounds per code (alerts per regional window) learned with {@code members} members. */
  public record Learned(Map<String, Double> perWindow, int members, long at) {
    public JsonObject json() {
      JsonObject codes = new JsonObject();
      perWindow.forEach(codes::put);
      return new JsonObject().put("v", VERSION).put("members", members).put("at", at).put("perWindow", codes);
    }

    /** The record in {@code json}; null when it is not one this release reads. */
    public static Learned of(JsonObject json) {
      if (json == null || json.getInteger("v", 0) != VERSION) return null;
      JsonObject codes = json.getJsonObject("perWindow", new JsonObject());
      Map<String, Double> perWindow = new HashMap<>();
      for (String code : codes.fieldNames()) {
        Object v = codes.getValue(code);
        if (v instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() >= 0) perWindow.put(code, n.doubleValue());
      }
      int members = json.getInteger("members", 0);
      return members < 1 ? null : new Learned(perWindow, members, json.getLong("at", 0L));
    }
  }

  /** Publishes this member's record; it expires unless published again within {@code every} times the allowance. */
  public void publishOwn(Learned own, Duration every) {
    records().set(self(), own.json().encode(), every.toMillis() * MISSED_PUBLICATIONS, TimeUnit.MILLISECONDS);
  }

  /** The other members' records in force. */
  public Collection<Learned> readOthers() {
    UUID self = self();
    return records().entrySet().stream().filter(e -> !self.equals(e.getKey()))
        .map(e -> Learned.of(new JsonObject(e.getValue()))).filter(l -> l != null).toList();
  }

  /**
   * This member's share of the region's backgrounds from {@code records}, now that the cluster has {@code members}:
   * per code, the mean over the records that know it of what each member learned times its N, divided by the
   * members now.
   */
  public static Map<String, Double> shareOf(Collection<Learned> records, int members) {
    Map<String, Double> region = new HashMap<>();
    Map<String, Integer> heardBy = new HashMap<>();
    for (Learned r : records) {
      r.perWindow().forEach((code, v) -> {
        region.merge(code, v * r.members(), Double::sum);
        heardBy.merge(code, 1, Integer::sum);
      });
    }
    Map<String, Double> share = new HashMap<>();
    region.forEach((code, sum) -> share.put(code, sum / heardBy.get(code) / Math.max(1, members)));
    return share;
  }

  private UUID self() {
    return member.getCluster().getLocalMember().getUuid();
  }

  private IMap<UUID, String> records() {
    return member.getMap(MAP_NAME);
  }
}
