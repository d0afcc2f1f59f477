package org.csp.edge.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.csp.edge.durability.JournalRecord.Family;
import org.junit.jupiter.api.Test;

/**
 * A compaction's slots are told apart by their family's slot and their key's bytes, found where the records lie: the
 * same slot is the same number however often and wherever it comes, another slot another number, keys whose hashes
 * are equal included, through the table's growth.
 */
class SlotNumbersTest {
  @Test
  void eachSlotHasOneNumberInTheOrderFirstMetAndNoOtherSlotHasIt() {
    Random random = new Random(7);
    List<JournalRecord> records = new ArrayList<>();
    for (int k = 0; k < 1500; k++) {
      String key = k % 2 == 0 ? "00-1B-C5-0C-00-00-" + k : alike(k);
      for (int copy = 0; copy < 3; copy++) {
        // HUB and its other forms share a slot; a change follows it; GROUP is another slot of the same key.
        Family family = List.of(Family.HUB, Family.HUB_RAW, Family.HUB_DECISION, Family.GROUP).get(random.nextInt(4));
        records.add(new JournalRecord(family, key, random.nextBoolean() ? null : new byte[random.nextInt(40)]));
      }
    }
    Collections.shuffle(records, random);
    ByteBuffer in = ByteBuffer.allocateDirect(records.stream().mapToInt(r -> r.encode().remaining()).sum());
    List<Integer> starts = new ArrayList<>();
    for (JournalRecord r : records) {
      starts.add(in.position());
      in.put(r.encode());
    }

    SlotNumbers numbers = new SlotNumbers();
    Map<JournalRecord.Slot, Integer> expected = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      JournalRecord.Slot slot = records.get(i).slot();
      if (!expected.containsKey(slot)) assertEquals(-1, numbers.numberIfMet(in, starts.get(i)), "not met yet: " + slot);
      int number = numbers.numberOf(in, starts.get(i));
      assertEquals(expected.computeIfAbsent(slot, s -> expected.size()), number, "record " + i + ", " + slot);
      assertEquals(number, numbers.numberIfMet(in, starts.get(i)));
    }
  }

  /** Key number {@code k} as blocks "Aa" and "BB": Strings of one length whose hashes are all equal. */
  private static String alike(int k) {
    StringBuilder key = new StringBuilder("hub-");
    for (int bit = 10; bit >= 0; bit--) key.append((k >> bit & 1) == 0 ? "Aa" : "BB");
    return key.toString();
  }
}
