package org.csp.edge.silence;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.csp.edge.cluster.HubStateStore;
import org.csp.edge.cluster.OwnedHubs;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.decision.Silence;
import org.csp.edge.durability.AtomicFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's silences. Each is an entry of the map {@link #MAP_NAME} (its JSON text); every member mirrors the
 * map through an entry listener and hands the silences in force to its {@link HubStateStore}, whose every hub
 * operation carries them (so the hub's owner and backup decide with the same ones, whichever member received the
 * alert). How many alerts each held is counted by the hubs' owners ({@link OwnedHubs#heldBySilence}); each member
 * puts its own totals into {@link #HELD_MAP_NAME} under {@code id|nodeId} every {@code silences.syncInterval}, and
 * the list sums them. Every member also writes the silences and the held totals it knows to {@code
 * dataDir/silences.json}, and merges that file into the map when it starts: so the silences survive a restart of
 * the whole cluster (an expiry wins over the unexpired copy of the same silence).
 */
public final class SilenceStore {
  /** Silences by id, as JSON text. */
  public static final String MAP_NAME = "csp-silences";
  /** Alerts held, by {@code silenceId|nodeId}: each member's own total. */
  public static final String HELD_MAP_NAME = "csp-silence-held";
  public static final String FILE_NAME = "silences.json";

  private static final Logger log = LoggerFactory.getLogger(SilenceStore.class);

  private final IMap<String, String> silences;
  private final IMap<String, Long> held;
  private final HubStateStore hubs;
  private final OwnedHubs owned;
  private final NodeConfig.Silences limits;
  private final String nodeId;
  private final Path file;
  private final LongSupplier clock;
  private final SilenceAudit audit;
  /** This member's view of the map, kept by the listener; what the decisions are given. */
  private final Map<String, StoredSilence> mirror = new ConcurrentHashMap<>();
  /** Held totals of this node from before this start (read from the file), per silence. */
  private final Map<String, Long> restoredOwn = new HashMap<>();
  private Vertx vertx;
  private long timer = -1;
  /** The last periodic sync; the next waits for it (on the verticle's context only). */
  private Future<Void> syncing = Future.succeededFuture();
  private UUID listener;

  /** Refused: the cluster holds {@code silences.maxActive} silences in force or pending. */
  public static final class TooMany extends RuntimeException {
    TooMany(int max) {
      super("there are already " + max + " silences in force or pending (silences.maxActive): expire some first");
    }
  }

  public SilenceStore(HazelcastInstance member, HubStateStore hubs, OwnedHubs owned, NodeConfig config,
      LongSupplier clock) {
    this.silences = member.getMap(MAP_NAME);
    this.held = member.getMap(HELD_MAP_NAME);
    this.hubs = hubs;
    this.owned = owned;
    this.limits = config.silences();
    this.nodeId = config.nodeId();
    this.file = config.dataDir().resolve(FILE_NAME);
    this.clock = clock;
    this.audit = new SilenceAudit();
  }

  public SilenceAudit audit() {
    return audit;
  }

  /** Merges this member's file into the cluster's map, mirrors the map, and starts sharing counts. */
  public Future<Void> start(Vertx vertx) {
    this.vertx = vertx;
    return vertx.executeBlocking(() -> {
      restore();
      listener = silences.addEntryListener(new Mirror(), true);
      for (Map.Entry<String, String> e : silences.entrySet()) mirror.put(e.getKey(), parse(e.getValue()));
      handOver();
      return null;
    }, false).onSuccess(v -> timer = vertx.setPeriodic(limits.syncInterval().toMillis(), id -> sync()))
        .mapEmpty();
  }

  /** Shares the last counts and writes the file once more. */
  public Future<Void> stop() {
    if (vertx == null) return Future.succeededFuture();
    if (timer >= 0) vertx.cancelTimer(timer);
    return syncing.transform(last -> vertx.executeBlocking(() -> {
      syncNow();
      if (listener != null) silences.removeEntryListener(listener);
      return null;
    }, false)).mapEmpty();
  }

  public Future<StoredSilence> create(StoredSilence silence) {
    return vertx.executeBlocking(() -> {
      long now = clock.getAsLong();
      long inForce = silences.values().stream().map(SilenceStore::parse).filter(s -> now < s.effectiveEnd()).count();
      if (inForce >= limits.maxActive()) throw new TooMany(limits.maxActive());
      silences.put(silence.id(), silence.toJson().encode());
      mirror.put(silence.id(), silence); // this member decides with it at once; the others when the listener tells them
      handOver();
      audit.created(silence);
      persistNow();
      return silence;
    }, false);
  }

  /** Expires a silence now, recording who; empty when there is no such silence. An expired one stays as it was. */
  public Future<Optional<StoredSilence>> expire(String id, String by) {
    return vertx.executeBlocking(() -> {
      long now = clock.getAsLong();
      for (int attempt = 0; ; attempt++) {
        String text = silences.get(id);
        if (text == null) return Optional.<StoredSilence>empty();
        StoredSilence s = parse(text);
        if (now >= s.effectiveEnd()) return Optional.of(s);
        StoredSilence expired = s.expired(by, now);
        if (silences.replace(id, text, expired.toJson().encode())) {
          mirror.put(id, expired);
          handOver();
          audit.expired(expired);
          persistNow();
          return Optional.of(expired);
        }
      }
    }, false);
  }

  /** Every silence kept (pending, active, expired within the retention), newest first, with what it held. */
  public Future<List<JsonObject>> list() {
    return vertx.executeBlocking(() -> {
      long now = clock.getAsLong();
      Map<String, Long> totals = heldTotals();
      List<StoredSilence> all = new ArrayList<>();
      for (String text : silences.values()) all.add(parse(text));
      all.sort(Comparator.comparingLong(StoredSilence::createdAt).reversed().thenComparing(StoredSilence::id));
      List<JsonObject> out = new ArrayList<>(all.size());
      for (StoredSilence s : all) out.add(describe(s, now, totals.getOrDefault(s.id(), 0L)));
      return out;
    }, false);
  }

  /** One silence as the API shows it: its record, its status and how many alerts it held cluster-wide. */
  public static JsonObject describe(StoredSilence s, long now, long heldAlerts) {
    return s.toJson().put("status", s.status(now)).put("held", heldAlerts);
  }

  /** How many silences this member knows of in force now (for metrics). */
  public long inForce() {
    long now = clock.getAsLong();
    return mirror.values().stream().filter(s -> now < s.effectiveEnd()).count();
  }

  private void sync() {
    // One at a time: a sync blocked on the shared map (a member lost, a split) must not pile the next ones up on the
    // worker pool, where they would then write the file concurrently through one temporary file.
    if (!syncing.isComplete()) return;
    syncing = vertx.<Void>executeBlocking(() -> {
      syncNow();
      return null;
    }, false).onFailure(e -> log.warn("silences: cannot share held counts or write {}: {}", file, e.toString()));
  }

  /** Shares this member's counts, settles the first-hour flags, forgets silences past retention, writes the file. */
  private void syncNow() throws IOException {
    long now = clock.getAsLong();
    Map<String, Long> own = new HashMap<>(restoredOwn);
    owned.heldBySilence().forEach((id, n) -> own.merge(id, n, Long::sum));
    own.forEach((id, n) -> {
      String key = id + "|" + nodeId;
      Long before = held.get(key);
      if (before == null || before < n) held.set(key, n);
    });
    Map<String, Long> totals = heldTotals();
    for (Map.Entry<String, String> e : silences.entrySet()) {
      StoredSilence s = parse(e.getValue());
      if (now >= s.effectiveEnd() + limits.retention().toMillis()) {
        silences.remove(e.getKey(), e.getValue());
        held.keySet().stream().filter(k -> k.startsWith(s.id() + "|")).toList().forEach(held::delete);
        restoredOwn.remove(s.id());
        continue;
      }
      if (!s.firstHourChecked() && now >= s.startsAt() + limits.unusedAfter().toMillis()) {
        silences.replace(e.getKey(), e.getValue(), s.checked(totals.getOrDefault(s.id(), 0L) == 0).toJson().encode());
      }
    }
    handOver();
    persist();
  }

  private Map<String, Long> heldTotals() {
    Map<String, Long> totals = new HashMap<>();
    for (Map.Entry<String, Long> e : held.entrySet()) {
      String id = e.getKey().substring(0, e.getKey().indexOf('|'));
      totals.merge(id, e.getValue(), Long::sum);
    }
    return totals;
  }

  /** The silences not over yet go to the decisions (each operation takes those in force at its time). */
  private void handOver() {
    long now = clock.getAsLong();
    List<Silence> live = new ArrayList<>();
    mirror.values().stream().filter(s -> now < s.effectiveEnd()).sorted(Comparator.comparing(StoredSilence::id))
        .forEach(s -> live.add(s.toDecision()));
    hubs.silences(live);
  }

  /**
   * Writes the file before a change is answered: a node alone has no other member holding the map, so a crash before
   * the next sync would forget a change it confirmed. A failed write leaves the change in force (it is in the map)
   * and is tried again by every sync.
   */
  private void persistNow() {
    try {
      persist();
    } catch (IOException | RuntimeException e) {
      log.error("silences: the change is in force but {} could not be written ({}); the next sync tries again", file,
          e.toString());
    }
  }

  /** One writer at a time, so that an older view of the map never replaces a newer one on disk. */
  private synchronized void persist() throws IOException {
    JsonArray all = new JsonArray();
    for (String text : silences.values()) all.add(new JsonObject(text));
    JsonObject counts = new JsonObject();
    held.entrySet().forEach(e -> counts.put(e.getKey(), e.getValue()));
    AtomicFile.writeString(file, new JsonObject().put("silences", all).put("held", counts).encodePrettily());
  }

  /** Puts what the file holds into the map: absent silences added, an expiry kept, the higher count kept. */
  private void restore() throws IOException {
    if (!Files.exists(file)) return;
    JsonObject saved;
    try {
      saved = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) { // damaged on disk (not JSON, not UTF-8) or unreadable
      log.error("silences: {} is not readable ({}); starting from the cluster's silences only", file, e.toString());
      return;
    }
    int restored = 0;
    for (Object o : saved.getJsonArray("silences", new JsonArray())) {
      StoredSilence s;
      try {
        s = StoredSilence.fromJson((JsonObject) o);
      } catch (RuntimeException e) {
        log.error("silences: an entry of {} is not a silence ({}); skipped", file, e.toString());
        continue;
      }
      String text = s.toJson().encode();
      String there = silences.putIfAbsent(s.id(), text);
      if (there == null) {
        restored++;
      } else if (parse(there).expiredAt() == 0 && s.expiredAt() > 0) {
        silences.replace(s.id(), there, text);
      }
    }
    JsonObject counts = saved.getJsonObject("held", new JsonObject());
    for (String key : counts.fieldNames()) {
      long n = counts.getLong(key);
      Long there = held.get(key);
      if (there == null || there < n) held.set(key, n);
      if (key.endsWith("|" + nodeId)) restoredOwn.put(key.substring(0, key.indexOf('|')), Math.max(n, there == null ? 0 : there));
    }
    log.info("silences: {} restored from {} ({} known to the cluster)", restored, file, silences.size());
  }

  private static StoredSilence parse(String text) {
    return StoredSilence.fromJson(new JsonObject(text));
  }

  /** Keeps {@link #mirror} as the map is, and the decisions' silences with it. */
  private final class Mirror implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
      EntryRemovedListener<String, String> {
    @Override
    public void entryAdded(EntryEvent<String, String> e) {
      mirror.put(e.getKey(), parse(e.getValue()));
      handOver();
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> e) {
      mirror.put(e.getKey(), parse(e.getValue()));
      handOver();
    }

    @Override
    public void entryRemoved(EntryEvent<String, String> e) {
      mirror.remove(e.getKey());
      handOver();
    }
  }
}
