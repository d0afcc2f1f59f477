package org.csp.edge.upstream;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import org.csp.edge.recipient.Recipient;
import org.csp.edge.recipient.Recipients;

/**
 * The order in which the outbox's waiting events leave for the broker (design.md, "Upstream order"). First the
 * priority lane: the codes in {@code forward} mode, which nothing may hold, and the node's own events (heartbeats,
 * about no code), in the order they were raised. Then one queue per recipient, served by weighted round robin:
 * in its turn a recipient sends up to its {@code weight} events, then the next recipient with events waiting has
 * its turn; a recipient with nothing waiting loses its turn (no credit is saved up). So while the link is congested
 * a recipient whose events wait gets at least weight / (sum of the waiting recipients' weights) of the events that
 * leave, whatever another recipient's storm queues; when it is not, every event leaves as soon as it is raised.
 * Shares are counted in events, not bytes: the link's limit is the in-flight window of QoS 1 publishes, each waiting
 * for its PUBACK, and no event is larger than {@code upstream.maxMessageBytes}. Nothing is dropped, and within a
 * queue the order is the order raised: every event about a code goes through the same queue (its recipient's, or
 * the priority lane while the code is in forward mode), so a hub's storm-start, summaries and storm-end, and a
 * summary's parts, keep their order.
 *
 * <p>Producers add from any thread; {@link #poll} has one caller at a time (the publisher), and is the only one to
 * touch the turn. {@link #drain} may run beside it: each event is taken by one or the other.
 */
public final class FairShare {
  private final Recipients recipients;
  private final Predicate<String> forwardMode;
  private final Lane priority = new Lane("priority", null, 0);
  private final Lane[] lanes;
  private final Map<Recipient, Lane> byRecipient = new IdentityHashMap<>();
  private final AtomicLong raised = new AtomicLong();
  /** The lane whose turn it is, and how many events it may still send in this turn. Publisher only. */
  private int turn;
  private int credit;

  /**
   * @param forwardMode whether a code is in {@code forward} mode now (the policy in force): asked as each event is
   *     queued, so a policy change applies to the events raised after it
   */
  public FairShare(Recipients recipients, Predicate<String> forwardMode) {
    this.recipients = recipients;
    this.forwardMode = forwardMode;
    List<Recipient> list = recipients.list();
    lanes = new Lane[list.size()];
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = new Lane(list.get(i).name(), list.get(i), list.get(i).weight());
      byRecipient.put(list.get(i), lanes[i]);
    }
    credit = lanes[0].weight;
  }

  /** One recipient for everything and no code in forward mode: the order raised, the node's own events first. */
  public static FairShare inOrderRaised() {
    return new FairShare(Recipients.ALL_IN_ONE, code -> false);
  }

  /** An event and where it waits: its lane, its place in the order raised, and since when. */
  record Waiting(UpstreamEvent event, Lane lane, long raised, long sinceNanos) {}

  Waiting add(UpstreamEvent event) {
    Lane lane = laneOf(event.alertCode());
    Waiting w = new Waiting(event, lane, raised.incrementAndGet(), System.nanoTime());
    lane.add(w);
    return w;
  }

  private Lane laneOf(String alertCode) {
    if (alertCode == null || forwardMode.test(alertCode)) return priority;
    return byRecipient.get(recipients.of(alertCode));
  }

  /** The next event to leave, or null when none waits. One caller at a time. */
  Waiting poll() {
    Waiting w = priority.take();
    if (w != null) return w;
    // Each lane is looked at once at most, the one in turn last again with a new turn.
    for (int looked = 0; looked <= lanes.length; looked++) {
      if (credit > 0) {
        w = lanes[turn].take();
        if (w != null) {
          credit--;
          return w;
        }
      }
      turn = (turn + 1) % lanes.length;
      credit = lanes[turn].weight;
    }
    return null;
  }

  /** Every waiting event, taken out in the order raised (for the spill). Safe beside {@link #poll}. */
  List<Waiting> drain() {
    List<Waiting> out = new ArrayList<>();
    priority.drainTo(out);
    for (Lane lane : lanes) lane.drainTo(out);
    out.sort(Comparator.comparingLong(Waiting::raised));
    return out;
  }

  /** The priority lane: forward-mode codes and the node's own events. */
  public Lane priority() {
    return priority;
  }

  /** The recipients' queues, in the configuration's order. */
  public List<Lane> recipients() {
    return List.of(lanes);
  }

  /** One queue: its events in the order raised, and what it has sent. */
  public static final class Lane {
    private final String name;
    private final Recipient recipient;
    private final int weight;
    private final ConcurrentLinkedQueue<Waiting> queue = new ConcurrentLinkedQueue<>();
    /** The queue's size: ConcurrentLinkedQueue counts by walking. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final LongAdder sent = new LongAdder();
    private volatile LongConsumer delays = nanos -> {};

    private Lane(String name, Recipient recipient, int weight) {
      this.name = name;
      this.recipient = recipient;
      this.weight = weight;
    }

    private void add(Waiting w) {
      queue.add(w);
      waiting.incrementAndGet();
    }

    /** The head, on its way to the broker: how long it waited goes to {@link #recordDelaysTo}. */
    private Waiting take() {
      Waiting w = queue.poll();
      if (w == null) return null;
      waiting.decrementAndGet();
      delays.accept(System.nanoTime() - w.sinceNanos());
      return w;
    }

    private void drainTo(List<Waiting> out) {
      for (Waiting w; (w = queue.poll()) != null; ) {
        waiting.decrementAndGet();
        out.add(w);
      }
    }

    void sent() {
      sent.increment();
    }

    public String name() {
      return name;
    }

    /** Null for the priority lane. */
    public Recipient recipient() {
      return recipient;
    }

    /** Events waiting in this queue (not those handed to the broker and awaiting their PUBACK). */
    public int waiting() {
      return waiting.get();
    }

    /** Events of this queue the broker acknowledged. */
    public long sentCount() {
      return sent.sum();
    }

    /** How long the oldest waiting event has waited, in seconds; 0 when none waits. */
    public double oldestSeconds() {
      Waiting head = queue.peek();
      return head == null ? 0 : Math.max(0, System.nanoTime() - head.sinceNanos()) / 1e9;
    }

    /** Each event's time in the queue, from queued to handed to the broker, in nanoseconds. */
    public void recordDelaysTo(LongConsumer delays) {
      this.delays = delays;
    }
  }
}
