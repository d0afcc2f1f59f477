package org.csp.edge.upstream;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.csp.edge.accounting.NodeStats;

/**
 * The node's {@code heartbeat} events (wire format, rev 2): every {@code node.heartbeatInterval} its totals since
 * this boot go into the outbox's priority lane, ahead of the recipients' queues ({@link FairShare}): a DSP sees a
 * quiet node apart from a dead one even while a storm's backlog waits, and completes the accounting equation from
 * the feed (the last heartbeat by sequence counts, wherever it arrives). A last one at a clean stop carries the
 * boot's final totals.
 * Heartbeats are not counted among the node's events (they account for no alert).
 */
public final class Heartbeats {
  /** The sequence of a recovered heartbeat: above any a boot reaches (68 years of heartbeats a second). */
  public static final long RECOVERED_SEQUENCE = Integer.MAX_VALUE;
  private final EventFactory events;
  private final Outbox outbox;
  private final NodeStats stats;
  private final String bootId;
  private final Duration interval;
  private final AtomicLong sequence = new AtomicLong();
  private final MemberLocalEvents memberLocal;
  private Vertx vertx;
  private long timer = -1;

  public Heartbeats(EventFactory events, Outbox outbox, NodeStats stats, String bootId, Duration interval,
      MemberLocalEvents memberLocal) {
    this.memberLocal = memberLocal;
    this.events = events;
    this.outbox = outbox;
    this.stats = stats;
    this.bootId = bootId;
    this.interval = interval;
  }

  public void start(Vertx vertx) {
    this.vertx = vertx;
    timer = vertx.setPeriodic(interval.toMillis(), id -> beat(false));
  }

  /** The final heartbeat: called once the intakes are closed and every decision is settled. */
  public void last() {
    if (vertx != null && timer >= 0) vertx.cancelTimer(timer);
    timer = -1;
    beat(true);
  }

  /**
   * The last heartbeat of a boot that ended without a clean stop (killed), sent by a later start with the same data
   * directory: its totals as its journal kept them before each acknowledgement, so that the DSP's equation, which
   * takes each boot's last heartbeat, counts the duplicates and rejections acknowledged after its last one. Its
   * sequence is above any a boot sends, so that it is the boot's last wherever it arrives; sent again at each such
   * start until a clean stop, always the same (the same eventId, the same figures). The events by type of that boot
   * are not journaled: {@code events} is empty, and {@code recovered} says why.
   */
  public void recovered(String ofNode, String earlierBootId, JsonObject totals) {
    recovered(ofNode, earlierBootId, totals, () -> {});
  }

  /**
   * As {@link #recovered(String, String, JsonObject)}, for a run of {@code ofNode} (this node under an earlier id, or
   * a member killed), with {@code afterDelivery} run once the broker took it.
   */
  public void recovered(String ofNode, String earlierBootId, JsonObject totals, Runnable afterDelivery) {
    recovered(ofNode, earlierBootId, totals, RECOVERED_SEQUENCE, afterDelivery);
  }

  /**
   * As {@link #recovered(String, String, JsonObject, Runnable)} with {@code sequence}: for a member the cluster
   * counts gone, the heartbeat it would have sent next, so that the one it sends if it comes back (a healed split)
   * is the same event (same id) and the next ones follow it.
   */
  public void recovered(String ofNode, String earlierBootId, JsonObject totals, long sequence, Runnable afterDelivery) {
    JsonObject t = totals.copy().put("events", new JsonObject()).put("recovered", true);
    UpstreamEvent e = events.heartbeatOf(ofNode, earlierBootId, sequence, t, true).afterDelivery(afterDelivery);
    outbox.offer(memberLocal.tracked(e));
  }

  /** The sequence of the last heartbeat sent (0 before the first). */
  public long sequence() {
    return sequence.get();
  }

  private void beat(boolean last) {
    outbox.offer(memberLocal.tracked(events.heartbeat(bootId, sequence.incrementAndGet(), stats.totals(), last)));
  }
}
