package org.csp.edge.digest;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.history.RollupFlusher;
import org.csp.edge.history.RollupStore;
import org.csp.edge.recipient.Recipient;
import org.csp.edge.recipient.Recipients;
import org.csp.edge.rollup.Sketches;
import org.csp.edge.upstream.EventFactory;
import org.csp.edge.upstream.Outbox;
import org.csp.edge.upstream.UpstreamEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code digests.checkInterval}, on the rollup store's worker: for each period due ({@link DigestPeriod#due})
 * and each recipient, the digest is claimed in the cluster map {@code csp-digests} (putIfAbsent: one member wins),
 * built, and handed to the outbox; once the broker acknowledged it, the claim becomes {@code published}, and the
 * store records it (so a restart of the whole cluster, whose map is gone, does not build it again). A claim whose
 * member left the cluster before it was published is taken over (compare-and-set) and built again, with the same
 * event id; so is a claim of this member that is no longer on its way (a build that failed).
 */
public final class Digests extends VerticleBase {
  public static final String MAP = "csp-digests";
  private static final Logger log = LoggerFactory.getLogger(Digests.class);

  private final NodeConfig.Digests settings;
  private final HazelcastInstance hazelcast;
  private final RollupFlusher store;
  private final Sketches sketches;
  private final Recipients recipients;
  private final EventFactory events;
  private final Outbox outbox;
  private final StormLedger storms;
  private final LongSupplier clock;
  private final DigestMail mail;
  /** Claims of this member handed to the outbox and not yet acknowledged, by key. */
  private final Set<String> onTheirWay = ConcurrentHashMap.newKeySet();
  private final Map<String, LongAdder> published = new LinkedHashMap<>();
  private final LongAdder failures = new LongAdder();
  private IMap<String, String> claims;
  private long timer = -1;
  /**
   * When this member started watching for digests: the store's watch begins at the first member's start, not at
   * its first check, which can come after a period has already ended (its digest would then never be due).
   */
  private volatile long startedAt;
  private final java.util.concurrent.atomic.AtomicBoolean checking = new java.util.concurrent.atomic.AtomicBoolean();

  public Digests(NodeConfig.Digests settings, HazelcastInstance hazelcast, RollupFlusher store, Sketches sketches,
      Recipients recipients, EventFactory events, Outbox outbox, StormLedger storms, LongSupplier clock, Path dataDir) {
    this.settings = settings;
    this.hazelcast = hazelcast;
    this.store = store;
    this.sketches = sketches;
    this.recipients = recipients;
    this.events = events;
    this.outbox = outbox;
    this.storms = storms;
    this.clock = clock;
    this.mail = settings.email().enabled() ? new DigestMail(settings.email(), events.region(), dataDir) : null;
    for (Recipient r : recipients.list()) published.put(r.name(), new LongAdder());
  }

  /** How long storms and claims are kept in the cluster: past the look-back, so a due period still finds them. */
  public static long keepMillis(NodeConfig.Digests settings) {
    return settings.lookBack().plus(settings.period().multipliedBy(2)).plus(settings.delay()).toMillis();
  }

  @Override
  public Future<?> start() {
    claims = hazelcast.getMap(MAP);
    startedAt = clock.getAsLong();
    timer = vertx.setPeriodic(settings.checkInterval().toMillis(), id -> check());
    return mail == null ? Future.succeededFuture() : mail.start(vertx);
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    if (mail != null) mail.stop();
    return Future.succeededFuture();
  }

  /** Checks now unless a check is under way; completes when done. */
  public Future<Void> check() {
    if (!checking.compareAndSet(false, true)) return Future.succeededFuture();
    return store.<Void>withStore(s -> {
      checkNow(s);
      return null;
    }).onComplete(ar -> {
      checking.set(false);
      if (ar.failed()) {
        failures.increment();
        log.warn("digest check failed (retried at the next): {}", ar.cause().toString());
      }
    });
  }

  private void checkNow(RollupStore s) {
    storms.share(s);
    long now = clock.getAsLong();
    long keep = keepMillis(settings);
    List<DigestPeriod> due = DigestPeriod.due(now, settings.period().toMillis(), settings.delay().toMillis(),
        settings.lookBack().toMillis(), s.digestsWatchedSince(startedAt));
    if (due.isEmpty()) return;
    Set<String> keys = new HashSet<>();
    for (DigestPeriod p : due) for (Recipient r : recipients.list()) keys.add(p.key(r.name()));
    Map<String, String> current = claims.getAll(keys);
    Set<UUID> members = new HashSet<>();
    for (Member m : hazelcast.getCluster().getMembers()) members.add(m.getUuid());
    UUID me = hazelcast.getCluster().getLocalMember().getUuid();
    for (DigestPeriod p : due) {
      Map<String, long[]> stormCounts = null;
      for (Recipient r : recipients.list()) {
        String key = p.key(r.name());
        if (onTheirWay.contains(key)) continue;
        String eventId = p.eventId(events.region(), r.name());
        String seen = current.get(key);
        DigestClaim claim = seen == null ? null : DigestClaim.decode(seen);
        if (claim != null && claim.published()) {
          s.digestPublished(r.name(), p.start(), p.millis(), claim.eventId(), claim.at());
          continue;
        }
        DigestClaim mine = DigestClaim.claimed(me, eventId, now);
        if (claim == null) {
          if (s.digestPublished(r.name(), p.start(), p.millis())) {
            // published before the whole cluster restarted: the map learns it again
            claims.set(key, mine.asPublished(now).encode(), keep, TimeUnit.MILLISECONDS);
            continue;
          }
          if (claims.putIfAbsent(key, mine.encode(), keep, TimeUnit.MILLISECONDS) != null) continue; // another won
        } else if (!claim.member().equals(me)) {
          if (members.contains(claim.member())) continue; // on its way from a member that is alive
          if (!claims.replace(key, seen, mine.encode())) continue; // another member took it over first
          log.info("digest {}: its claimant {} left before publishing it; building it again", eventId, claim.member());
        } // else: this member's own claim, no longer on its way (its build failed): again
        if (stormCounts == null) stormCounts = storms.count(s, p.start(), p.end());
        JsonObject figures = DigestFigures.of(s, sketches, recipients, r, p, settings.top(), stormCounts);
        UpstreamEvent event = events.digest(eventId, r.name(), figures);
        onTheirWay.add(key);
        outbox.offer(event.afterDelivery(() -> delivered(key, r.name(), p, mine)));
        log.info("digest {} queued: {} alerts", eventId, figures.getLong("alerts"));
        if (mail != null) mail.send(r.name(), eventId, figures);
      }
    }
  }

  /** The broker acknowledged the digest: published, in the cluster map and in the store. */
  private void delivered(String key, String recipient, DigestPeriod p, DigestClaim claim) {
    long now = clock.getAsLong();
    DigestClaim done = claim.asPublished(now);
    claims.setAsync(key, done.encode(), keepMillis(settings), TimeUnit.MILLISECONDS);
    published.get(recipient).increment();
    onTheirWay.remove(key);
    store.withStore(s -> {
      s.digestPublished(recipient, p.start(), p.millis(), claim.eventId(), now);
      return null;
    }).onFailure(e -> log.warn("digest {} published; recording it in the store failed ({}): the cluster map has it",
        claim.eventId(), e.toString()));
  }

  /** Digests this member published (the broker acknowledged), per recipient. */
  public long published(String recipient) {
    LongAdder n = published.get(recipient);
    return n == null ? 0 : n.sum();
  }

  public List<String> recipientNames() {
    return List.copyOf(published.keySet());
  }

  /** The e-mails' results so far ({@link DigestMail#RESULTS}); 0 with e-mail off. */
  public long emails(String result) {
    return mail == null ? 0 : mail.count(result);
  }

  public long failures() {
    return failures.sum();
  }
}
