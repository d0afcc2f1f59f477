package org.csp.edge.cluster;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.csp.edge.decision.AlertPolicy;
import org.csp.edge.decision.NodeClock;
import org.csp.edge.decision.RegionalBursts;
import org.csp.edge.durability.AtomicFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries this member's learned regional backgrounds to the members that start after it and to its own next run
 * ({@link SharedBackgrounds}). At start, before the intakes open, the member takes the region's backgrounds from the
 * other members, or else from its own record in the data directory when that is younger than the policy's
 * {@code regionalHalfLife}; with neither it warms up as before. Then, every {@code regionalWindow}, it publishes what
 * it has learned (once past its own warm-up) and writes its record.
 */
public final class BackgroundExchange extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(BackgroundExchange.class);
  public static final String FILE = "regional-backgrounds.json";

  private final SharedBackgrounds shared;
  private final RegionalBursts regional;
  private final Supplier<AlertPolicy> policy;
  private final NodeClock clock;
  private final IntSupplier members;
  private final Path file;
  private long timer = -1;
  /** Where the backgrounds came from at start, for the status; written once, before the intakes open. */
  private volatile JsonObject seeded = new JsonObject().put("source", "none");
  /** The last publication; the next, and the record at stop, wait for it (both write the same file). */
  private Future<Void> publishing = Future.succeededFuture();

  public BackgroundExchange(SharedBackgrounds shared, RegionalBursts regional, Supplier<AlertPolicy> policy,
      NodeClock clock, IntSupplier members, Path dataDir) {
    this.shared = shared;
    this.regional = regional;
    this.policy = policy;
    this.clock = clock;
    this.members = members;
    this.file = dataDir.resolve(FILE);
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(this::seed, false).map(from -> {
      if (from != null) log.info("regional backgrounds: {}; no warm-up", from);
      schedule();
      return null;
    });
  }

  /** Seeds the detector; says from where, or null when it warms up. Blocks. */
  private String seed() {
    int now = Math.max(1, members.getAsInt());
    Collection<SharedBackgrounds.Learned> others = shared.readOthers();
    if (!others.isEmpty()) {
      Map<String, Double> share = SharedBackgrounds.shareOf(others, now);
      regional.seed(share);
      seeded = new JsonObject().put("source", "members").put("members", others.size()).put("codes", share.size());
      return share.size() + " codes from " + others.size() + " other member(s)";
    }
    SharedBackgrounds.Learned own = readOwn();
    Duration maxAge = policy.get().defaults().regional().halfLife();
    if (own == null || clock.millis() - own.at() > maxAge.toMillis()) {
      seeded = new JsonObject().put("source", "warm-up");
      return null;
    }
    Map<String, Double> share = SharedBackgrounds.shareOf(List.of(own), now);
    regional.seed(share);
    seeded = new JsonObject().put("source", "file").put("codes", share.size())
        .put("learnedAt", java.time.Instant.ofEpochMilli(own.at()).toString());
    return share.size() + " codes from this node's last run (" + file + ")";
  }

  private SharedBackgrounds.Learned readOwn() {
    try {
      return Files.isRegularFile(file) ? SharedBackgrounds.Learned.of(new JsonObject(Files.readString(file))) : null;
    } catch (IOException | RuntimeException e) {
      log.warn("regional backgrounds: {} unreadable, warming up instead: {}", file, e.toString());
      return null;
    }
  }

  /** Every window of the policy in force, read again each time (a policy change moves it). */
  private void schedule() {
    timer = vertx.setTimer(every().toMillis(), id -> publish().onComplete(ar -> {
      if (ar.failed()) log.debug("regional backgrounds not published now: {}", ar.cause().toString());
      if (timer >= 0) schedule();
    }));
  }

  private Duration every() {
    return policy.get().defaults().regionalWindow();
  }

  private Future<Void> publish() {
    if (!publishing.isComplete()) return Future.succeededFuture();
    SharedBackgrounds.Learned own = learnedNow();
    if (own == null) return Future.succeededFuture();
    Duration every = every();
    publishing = vertx.executeBlocking(() -> {
      shared.publishOwn(own, every);
      writeOwn(own);
      return null;
    }, false);
    return publishing;
  }

  /** A crash leaves the old record or the new, never half. */
  private void writeOwn(SharedBackgrounds.Learned own) throws IOException {
    AtomicFile.writeString(file, own.json().encode());
  }

  /** A last record at a clean stop, so that a restart (an upgrade) starts from the freshest backgrounds. */
  @Override
  public Future<?> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    timer = -1;
    SharedBackgrounds.Learned own = learnedNow();
    if (own == null) return Future.succeededFuture();
    return publishing.transform(last -> vertx.executeBlocking(() -> {
      writeOwn(own);
      return null;
    }, false)).recover(e -> {
      log.warn("regional backgrounds: {} not written at stop: {}", file, e.toString());
      return Future.succeededFuture();
    });
  }

  /**
   * For the status ({@code regionalBackgrounds}): where this member's backgrounds came from at start ({@code source}:
   * {@code members}, {@code file}, {@code warm-up}; {@code none} before the start), with how many codes (and members,
   * or when the file's were learned).
   */
  public JsonObject seededFrom() {
    return seeded.copy();
  }

  /** What this member has learned now, as its record; null while it warms up (nothing to speak for yet). */
  private SharedBackgrounds.Learned learnedNow() {
    long now = clock.millis();
    Map<String, Double> learned = regional.learned(now, policy.get());
    return learned == null ? null : new SharedBackgrounds.Learned(learned, Math.max(1, members.getAsInt()), now);
  }
}
