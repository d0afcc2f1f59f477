package org.csp.edge.accounting;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import org.csp.edge.alert.RejectReason;
import org.csp.edge.security.SecurityStats;

/**
 * The node's accounting: every alert received ends in exactly one of forwarded, consolidated, grouped, silenced,
 * inhibited, duplicate or rejected (wire format, "Accounting"). Lock-free counters: every intake thread adds to them.
 */
public final class NodeStats {
  public final LongAdder received = new LongAdder();
  public final LongAdder receivedMqtt = new LongAdder();
  public final LongAdder receivedHttp = new LongAdder();
  public final LongAdder forwarded = new LongAdder();
  public final LongAdder consolidated = new LongAdder();
  public final LongAdder grouped = new LongAdder();
  /** Held into a summary by an operator's silence, or by an inhibition rule. */
  public final LongAdder silenced = new LongAdder();
  public final LongAdder inhibited = new LongAdder();
  public final LongAdder duplicates = new LongAdder();
  public final LongAdder stormsStarted = new LongAdder();
  public final LongAdder stormsEnded = new LongAdder();
  public final LongAdder eventsDelivered = new LongAdder();
  public final LongAdder eventsResent = new LongAdder();
  /** Events the broker refused, kept in the dead letters, and the alerts they account for (their counts). */
  public final LongAdder deadLettered = new LongAdder();
  public final LongAdder deadLetteredAlerts = new LongAdder();
  /** Connections to the upstream broker lost after they were established. */
  public final LongAdder upstreamConnectionsLost = new LongAdder();
  /** QoS 1 acknowledgements held back by a congested outbox (back-pressure), since start. */
  public final LongAdder acksHeld = new LongAdder();
  /** QoS 1/2 acknowledgements delayed to hold a connection to limits.messagesPerSecond. */
  public final LongAdder acksPaced = new LongAdder();
  /** QoS 1/2 messages taken on MQTT connections and not acknowledged yet, over all connections. */
  public final LongAdder acksOwed = new LongAdder();
  /** Connections closed because they had limits.maxPendingAcksPerConnection messages unacknowledged. */
  public final LongAdder acksOverflowed = new LongAdder();
  /**
   * Times the node stopped reading an MQTT connection whose client did not read its answers (PUBACKs...) past
   * limits.maxPendingOutputBytesPerConnection, and the connections not being read now for that reason.
   */
  public final LongAdder mqttReadsPaused = new LongAdder();
  public final LongAdder mqttConnectionsPaused = new LongAdder();
  /** HTTP bodies answered 503 unread while back-pressure was engaged (nothing taken: not received, not rejected). */
  public final LongAdder httpBackPressured = new LongAdder();
  /** Refusals, drops, logins and open connections of the security layer (not alerts: those are counted above). */
  public final SecurityStats security = new SecurityStats();
  private final Map<RejectReason, LongAdder> rejected = new EnumMap<>(RejectReason.class);

  /** The wire format's event types. */
  public static final List<String> EVENT_TYPES = List.of("alert", "summary", "group", "storm-start", "storm-end");
  private final Map<String, LongAdder> queuedByType = new ConcurrentHashMap<>();

  /**
   * Alert codes are tracked one by one up to this many (a region sees a few dozen); past it they count as
   * "other", so hostile input cannot grow the metrics without bound.
   */
  public static final int MAX_CODES_TRACKED = 256;
  public static final String OTHER_CODES = "other";
  private final Map<String, CodeCounts> byCode = new ConcurrentHashMap<>();
  private final CodeCounts otherCodes = new CodeCounts();
  private final java.util.Set<String> trackedCodes = new java.util.LinkedHashSet<>();
  private volatile Consumer<String> onNewCode = code -> {};
  private static final Future<Void> NOTHING_OWED = Future.succeededFuture();
  private volatile Function<Context, Future<Void>> beforeAcknowledge = context -> NOTHING_OWED;
  private volatile OutcomeListener outcomes = OutcomeListener.NONE;

  public NodeStats() {
    for (RejectReason r : RejectReason.values()) rejected.put(r, new LongAdder());
    for (String type : EVENT_TYPES) queuedByType.put(type, new LongAdder());
  }

  /** An event of {@code type} went into the outbox. */
  public void queued(String type) {
    LongAdder n = queuedByType.get(type);
    if (n != null) n.increment();
  }

  /** Events of every type that went into the outbox. */
  public long eventsQueued() {
    long n = 0;
    for (LongAdder a : queuedByType.values()) n += a.sum();
    return n;
  }

  public long eventsQueuedOfType(String type) {
    LongAdder n = queuedByType.get(type);
    return n == null ? 0 : n.sum();
  }

  /** A valid alert of {@code alertCode} was received. */
  public void receivedCode(String alertCode) {
    ofCode(alertCode).received.increment();
  }

  /** The counts of {@code alertCode}: its own while it is among the tracked codes, else those of "other". */
  public CodeCounts ofCode(String alertCode) {
    CodeCounts n = byCode.get(alertCode);
    return n != null ? n : newCode(alertCode);
  }

  private synchronized CodeCounts newCode(String alertCode) {
    CodeCounts n = byCode.get(alertCode);
    if (n != null) return n;
    String tracked = trackedCodes.size() < MAX_CODES_TRACKED ? alertCode : OTHER_CODES;
    n = tracked.equals(OTHER_CODES) ? otherCodes : new CodeCounts();
    byCode.put(alertCode, n); // an untracked code shares the "other" counts
    if (!trackedCodes.contains(tracked)) {
      trackedCodes.add(tracked);
      onNewCode.accept(tracked);
    }
    return n;
  }

  public long receivedOfCode(String alertCode) {
    return countsOf(alertCode).received.sum();
  }

  /** A tracked code's counts (or "other"'s), for reading: a code never seen reads as zeros. */
  public CodeCounts countsOf(String alertCode) {
    if (OTHER_CODES.equals(alertCode)) return otherCodes;
    CodeCounts n = byCode.get(alertCode);
    return n == null ? new CodeCounts() : n;
  }

  /** Told of every alert code as it is first tracked (and of those already tracked, at once). */
  public synchronized void onNewAlertCode(Consumer<String> listener) {
    this.onNewCode = listener;
    trackedCodes.forEach(listener);
  }

  /**
   * Called by the intakes once a message is counted and decided and before its sender is answered: what the answer
   * promises is made durable here (the journal's counts, and the records its decisions appended, src/docs/design.md,
   * "A node that crashes"). Completes on {@code context} once it is; fails if it could not be (no acknowledgement
   * then). Already succeeded when nothing is journaled.
   */
  public Future<Void> beforeAcknowledge(Context context) {
    return beforeAcknowledge.apply(context);
  }

  public void beforeAcknowledge(Function<Context, Future<Void>> hook) {
    this.beforeAcknowledge = hook;
  }

  public long rejectedCount(RejectReason reason) {
    return rejected.get(reason).sum();
  }

  public void rejected(RejectReason reason) {
    rejected(reason, null);
  }

  /** A message refused whole, unread, standing for {@code alerts} alerts ({@code Rejection.alerts}). */
  public void rejected(RejectReason reason, int alerts) {
    if (alerts == 1) {
      rejected(reason, null);
      return;
    }
    rejected.get(reason).add(alerts);
    outcomes.rejectedUnread(reason, alerts);
  }

  /** One input refused for {@code reason}: {@code alert} when it was read as one, else null. */
  public void rejected(RejectReason reason, org.csp.edge.alert.Alert alert) {
    rejected.get(reason).increment();
    outcomes.rejected(alert, reason);
  }

  /** The hub's state decided {@code alert}: told to the outcome listener (the totals are counted by the caller). */
  public void decided(org.csp.edge.alert.Alert alert, org.csp.edge.decision.Verdict verdict) {
    outcomes.decided(alert, verdict);
  }

  /** Who else hears of every outcome (the rollups); one listener. */
  public void outcomesTo(OutcomeListener listener) {
    this.outcomes = listener;
  }

  public long rejectedTotal() {
    long n = 0;
    for (LongAdder a : rejected.values()) n += a.sum();
    return n;
  }

  /**
   * The totals a heartbeat carries (wire format, "heartbeat"): what came in and how it ended, since this start.
   * {@code events} counts the events the decisions raised, by type; heartbeats themselves are not among them.
   */
  public JsonObject totals() {
    JsonObject events = new JsonObject();
    for (String type : EVENT_TYPES) events.put(type, eventsQueuedOfType(type));
    Counts n = counts();
    return new JsonObject().put("received", n.received()).put("duplicates", n.duplicates())
        .put("rejected", n.rejected()).put("rejectedByReason", n.rejectedByReason()).put("events", events);
  }

  /**
   * The counters read together, so that they add up in one reading while alerts are being decided: every outcome is
   * read before {@code received} (an alert is received before it has an outcome), and {@code rejected} is the sum of
   * the reasons read. So {@code received = outcomes + inProgress} holds in every reading, and inProgress is never
   * negative.
   */
  public record Counts(long received, long forwarded, long consolidated, long grouped, long silenced, long inhibited,
      long duplicates, long rejected, JsonObject rejectedByReason) {
    public long inProgress() {
      return received - forwarded - consolidated - grouped - silenced - inhibited - duplicates - rejected;
    }
  }

  public Counts counts() {
    long f = forwarded.sum();
    long c = consolidated.sum();
    long g = grouped.sum();
    long s = silenced.sum();
    long i = inhibited.sum();
    long d = duplicates.sum();
    JsonObject byReason = new JsonObject();
    long r = 0;
    for (Map.Entry<RejectReason, LongAdder> e : rejected.entrySet()) {
      long v = e.getValue().sum();
      if (v > 0) byReason.put(e.getKey().wireName(), v);
      r += v;
    }
    return new Counts(received.sum(), f, c, g, s, i, d, r, byReason);
  }

  /** Alerts taken in but not yet decided (in flight between intake and the hub state). */
  public long undecided() {
    return counts().inProgress();
  }
}
