package org.csp.edge.decision;

import static org.csp.edge.decision.TestAlerts.GPF;
import static org.csp.edge.decision.TestAlerts.HUB;
import static org.csp.edge.decision.TestAlerts.alert;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.csp.edge.alert.Alert;
import org.junit.jupiter.api.Test;

/**
 * The parts of a hub's state that are laid out for heap rather than read simply
 * (src/bench/results/2026-11-23-memory.md): they must remember exactly what the plain layout did, across the points
 * where they grow.
 */
class CompactStateTest {
  private static final long DAY = 86_400_000L;

  @Test
  void aDevicesRingRemembersItsLastCountersWhileItGrowsAndAfterItWraps() {
    DeviceHeaders headers = new DeviceHeaders(DeviceHeaders.eui64(GPF), 5);
    long now = 1_700_000_000_000L;
    for (long counter = 1; counter <= 7; counter++) assertFalse(headers.seenBefore(counter, now, DAY), "new: " + counter);
    // Grown 1, 2, 4, 5 and wrapped twice: the last five are 3..7.
    for (long counter = 3; counter <= 7; counter++) assertTrue(headers.seenBefore(counter, now, DAY), "kept: " + counter);
    assertFalse(headers.seenBefore(2, now, DAY), "the sixth newest fell out by room");
  }

  @Test
  void aDevicesRingForgetsByAgeToo() {
    DeviceHeaders headers = new DeviceHeaders(DeviceHeaders.eui64(GPF), 32);
    assertFalse(headers.seenBefore(9, 0, 1000));
    assertTrue(headers.seenBefore(9, 1000, 1000), "within the retention");
    assertFalse(headers.seenBefore(9, 2001, 1000), "older than the retention: a new header");
  }

  @Test
  void deviceIdsAndCodesAreTheirBitsAndNothingElseIsAccepted() {
    assertEquals(0x001BC50C00000002L, DeviceHeaders.eui64(GPF));
    assertEquals(0xFFFFFFFFFFFFFFFFL, DeviceHeaders.eui64("FF-FF-FF-FF-FF-FF-FF-FF"));
    assertThrows(IllegalArgumentException.class, () -> DeviceHeaders.eui64("00-1B-C5-0C-00-00-00"));
    assertEquals("8F3E", AlertCodes.name(AlertCodes.key("8F3E")));
    assertEquals("00A1", AlertCodes.name((char) 0xA1));
    assertThrows(IllegalArgumentException.class, () -> AlertCodes.key("8f3e"), "the parser upper-cases codes");
    assertThrows(IllegalArgumentException.class, () -> AlertCodes.key("8F3"));
  }

  @Test
  void verdictsPackUpToTheirLimitAndNoFurther() {
    byte[] verdicts = new byte[PackedVerdicts.MAX];
    for (int i = 0; i < verdicts.length; i++) verdicts[i] = (byte) (i % 4);
    assertArrayEquals(verdicts, PackedVerdicts.unpack(PackedVerdicts.pack(verdicts)));
    // The verdicts past the first four (held alerts) do not fit two bits: such an operation keeps its bytes.
    assertEquals(PackedVerdicts.UNPACKED, PackedVerdicts.pack(new byte[] {0, (byte) Verdict.SILENCED.ordinal()}));
    assertEquals(PackedVerdicts.UNPACKED, PackedVerdicts.pack(new byte[] {(byte) Verdict.INHIBITED.ordinal()}));
    assertArrayEquals(new byte[0], PackedVerdicts.unpack(PackedVerdicts.pack(new byte[0])));
    assertEquals(PackedVerdicts.UNPACKED, PackedVerdicts.pack(new byte[PackedVerdicts.MAX + 1]));
  }

  @Test
  void theLastEightOperationsAnswerAsTheyDidLargeBatchesIncludedAndTheNinthIsForgotten() {
    HubState hub = new HubState();
    long now = 1_700_000_000_000L;
    long counter = 0;
    List<byte[]> answers = new ArrayList<>();
    List<List<Alert>> batches = new ArrayList<>();
    for (int op = 1; op <= 9; op++) {
      int size = op == 2 ? 40 : 3; // one batch too large to pack
      List<Alert> batch = new ArrayList<>();
      for (int i = 0; i < size; i++) batch.add(alert(HUB, GPF, "8F3E", ++counter, now));
      batches.add(batch);
      answers.add(hub.apply(HUB, op, batch, now, AlertPolicy.DEFAULTS, RegionalGate.NEVER).verdicts());
    }
    for (int op = 2; op <= 9; op++) {
      HubState.Outcome again = hub.apply(HUB, op, batches.get(op - 1), now, AlertPolicy.DEFAULTS, RegionalGate.NEVER);
      assertArrayEquals(answers.get(op - 1), again.verdicts(), "operation " + op + " answered from memory");
      assertTrue(again.raised().isEmpty());
    }
    // Forwarded the first time; decided again now, in the storm the later operations started.
    assertArrayEquals(new byte[] {0, 0, 0}, answers.get(0));
    HubState.Outcome first = hub.apply(HUB, 1, batches.get(0), now, AlertPolicy.DEFAULTS, RegionalGate.NEVER);
    assertEquals(Verdict.CONSOLIDATED, Verdict.of(first.verdicts()[0]), "the ninth newest is forgotten: decided again");
  }
}
