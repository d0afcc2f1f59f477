package org.csp.edge.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.csp.edge.recipient.Recipient;
import org.csp.edge.recipient.Recipients;
import org.junit.jupiter.api.Test;

/** The order in which waiting events leave: the priority lane, then the recipients by weighted round robin. */
class FairShareTest {
  private static final Recipients DNO_AND_SUPPLIERS = new Recipients(List.of(
      new Recipient("dno", Set.of("8014", "8015"), 1),
      new Recipient("suppliers", Set.of("*"), 3)));

  @Test
  void eachRecipientInTurnSendsUpToItsWeightInTheOrderRaisedAndNothingIsLeftOut() {
    FairShare order = new FairShare(DNO_AND_SUPPLIERS, code -> false);
    for (int i = 1; i <= 12; i++) order.add(event("S" + i, "8F3E"));
    for (int i = 1; i <= 4; i++) order.add(event("D" + i, i % 2 == 0 ? "8015" : "8014"));
    assertEquals(12, order.recipients().get(1).waiting());
    assertEquals(4, order.recipients().get(0).waiting());

    assertEquals(List.of("D1", "S1", "S2", "S3", "D2", "S4", "S5", "S6", "D3", "S7", "S8", "S9", "D4", "S10", "S11", "S12"),
        pollAll(order), "1 of the DNO's for every 3 of the suppliers' while both wait, each queue in the order raised");
    assertEquals(0, order.recipients().get(0).waiting());
    assertNull(order.poll());
  }

  @Test
  void forwardModeCodesAndTheNodesOwnEventsGoAheadOfEveryRecipientsBacklog() {
    Set<String> forward = Set.of("8F01");
    FairShare order = new FairShare(DNO_AND_SUPPLIERS, forward::contains);
    for (int i = 1; i <= 5; i++) order.add(event("S" + i, "8F3E"));
    order.add(event("D1", "8014"));
    order.add(event("F1", "8F01"));
    order.add(event("H1", null)); // a heartbeat: about no code
    order.add(event("F2", "8F01"));

    assertEquals(List.of("F1", "H1", "F2", "D1", "S1", "S2", "S3", "S4", "S5"), pollAll(order));
    assertEquals(0, order.priority().waiting());
  }

  /**
   * A storm's backlog of one recipient and a trickle of another's: with equal weights each trickle event waits
   * behind one storm event at most, however long the backlog; the storm's events all leave, in order.
   */
  @Test
  void aTrickleLeavesWithinItsShareOfAStormsBacklog() {
    FairShare order = new FairShare(new Recipients(List.of(new Recipient("dno", Set.of("8014"), 1),
        new Recipient("suppliers", Set.of("*"), 1))), code -> false);
    int storm = 10_000;
    for (int i = 0; i < storm; i++) order.add(event("S" + i, "8F3E"));
    List<String> left = new ArrayList<>();
    int worstWait = 0;
    int nextStorm = 0;
    for (int d = 0; d < 100; d++) {
      order.add(event("D" + d, "8014"));
      int waited = 0;
      for (String id; !(id = order.poll().event().eventId()).equals("D" + d); waited++) {
        assertEquals("S" + nextStorm++, id, "the storm's events in the order raised");
        left.add(id);
      }
      worstWait = Math.max(worstWait, waited);
      for (int k = 0; k < 50; k++) left.add(order.poll().event().eventId()); // the storm goes on leaving
      nextStorm += 50;
    }
    assertTrue(worstWait <= 1, "each DNO alert waited behind " + worstWait + " storm events at most, with "
        + order.recipients().get(1).waiting() + " still waiting");
    List<String> rest = pollAll(order);
    assertEquals(storm, left.size() + rest.size(), "every storm event leaves");
  }

  @Test
  void theSpillTakesEveryWaitingEventInTheOrderRaisedWhateverItsQueue() {
    FairShare order = new FairShare(DNO_AND_SUPPLIERS, Set.of("8F01")::contains);
    List<String> raised = List.of("S1", "D1", "S2", "F1", "S3", "D2", "H1");
    List<String> codes = List.of("8F3E", "8014", "8F3E", "8F01", "8F3E", "8015", "");
    for (int i = 0; i < raised.size(); i++) order.add(event(raised.get(i), codes.get(i).isEmpty() ? null : codes.get(i)));
    List<String> drained = new ArrayList<>();
    for (FairShare.Waiting w : order.drain()) drained.add(w.event().eventId());
    assertEquals(raised, drained);
    assertNull(order.poll());
  }

  @Test
  void theOutboxCountsSentPerQueueOnThePubackOnlyAndAResentEventKeepsItsQueue() {
    FairShare order = new FairShare(DNO_AND_SUPPLIERS, code -> false);
    Outbox outbox = new Outbox(100, 80, Long.MAX_VALUE, order);
    outbox.offer(event("S1", "8F3E"));
    outbox.offer(event("D1", "8014"));
    outbox.offer(event("S2", "8F3E"));
    UpstreamEvent d1 = outbox.poll();
    UpstreamEvent s1 = outbox.poll();
    UpstreamEvent s2 = outbox.poll();
    assertEquals(List.of("D1", "S1", "S2"), List.of(d1.eventId(), s1.eventId(), s2.eventId()));
    outbox.requeue(List.of(s1)); // its connection went before the PUBACK
    outbox.delivered(d1);
    outbox.deadLettered(s2); // refused by the broker: gone, not sent
    assertEquals(1, order.recipients().get(0).sentCount());
    assertEquals(0, order.recipients().get(1).sentCount());
    assertEquals(s1, outbox.poll(), "sent again first");
    outbox.delivered(s1);
    assertEquals(1, order.recipients().get(1).sentCount());
    assertEquals(0, outbox.depth());
  }

  private static List<String> pollAll(FairShare order) {
    List<String> out = new ArrayList<>();
    for (FairShare.Waiting w; (w = order.poll()) != null; ) out.add(w.event().eventId());
    return out;
  }

  private static UpstreamEvent event(String id, String code) {
    return new UpstreamEvent(id, "alert", code, "dsp/north/alert/" + code, 1, Buffer.buffer("{}"));
  }
}
