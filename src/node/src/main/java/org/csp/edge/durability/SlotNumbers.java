package org.csp.edge.durability;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The slots of the records a compaction indexes, numbered in the order first met, found by the family and key bytes
 * of a record where it lies in the reader's window: no key String and no {@link JournalRecord.Slot} per record (a
 * segment holds 100,000s of records, most of them of slots already met, and decoding each key was most of the
 * index's time). Each slot's key bytes are copied once, into one array. Open addressing, at most half full.
 */
final class SlotNumbers {
  private static final int INITIAL_SLOTS = 64;
  private static final int INITIAL_KEY_BYTES = INITIAL_SLOTS * 32;

  /** Slot number + 1 by hash (0: empty). */
  private int[] table = new int[2 * INITIAL_SLOTS];
  private int[] hashes = new int[INITIAL_SLOTS];
  private byte[] families = new byte[INITIAL_SLOTS];
  private int[] keyStarts = new int[INITIAL_SLOTS];
  private int[] keyLengths = new int[INITIAL_SLOTS];
  private byte[] keys = new byte[INITIAL_KEY_BYTES];
  private int keyBytes;
  private int count;

  /** The number of the slot of the whole record at {@code start} of {@code in}, numbering the slot if it is new. */
  int numberOf(ByteBuffer in, int start) {
    return find(in, start, true);
  }

  /** The number of the slot of the whole record at {@code start} of {@code in}, or -1 if no record of it was met. */
  int numberIfMet(ByteBuffer in, int start) {
    return find(in, start, false);
  }

  private int find(ByteBuffer in, int start, boolean add) {
    byte family = JournalRecord.slotCodeAt(in, start);
    int keyAt = JournalRecord.keyAt(start);
    int keyLength = JournalRecord.keyLengthAt(in, start);
    int hash = family;
    for (int i = 0; i < keyLength; i++) hash = 31 * hash + in.get(keyAt + i);
    hash ^= hash >>> 16;
    int mask = table.length - 1;
    for (int i = hash & mask; ; i = (i + 1) & mask) {
      int entry = table[i];
      if (entry == 0) {
        if (!add) return -1;
        int number = added(hash, family, in, keyAt, keyLength);
        table[i] = number + 1;
        if (2 * count > table.length) rehash();
        return number;
      }
      int n = entry - 1;
      if (hashes[n] == hash && families[n] == family && sameKey(n, in, keyAt, keyLength)) return n;
    }
  }

  private boolean sameKey(int n, ByteBuffer in, int keyAt, int keyLength) {
    if (keyLengths[n] != keyLength) return false;
    int from = keyStarts[n];
    for (int i = 0; i < keyLength; i++) if (keys[from + i] != in.get(keyAt + i)) return false;
    return true;
  }

  private int added(int hash, byte family, ByteBuffer in, int keyAt, int keyLength) {
    if (count == hashes.length) {
      int n = 2 * count;
      hashes = Arrays.copyOf(hashes, n);
      families = Arrays.copyOf(families, n);
      keyStarts = Arrays.copyOf(keyStarts, n);
      keyLengths = Arrays.copyOf(keyLengths, n);
    }
    if (keyBytes + keyLength > keys.length) keys = Arrays.copyOf(keys, Math.max(2 * keys.length, keyBytes + keyLength));
    in.get(keyAt, keys, keyBytes, keyLength);
    hashes[count] = hash;
    families[count] = family;
    keyStarts[count] = keyBytes;
    keyLengths[count] = keyLength;
    keyBytes += keyLength;
    return count++;
  }

  private void rehash() {
    table = new int[2 * table.length];
    int mask = table.length - 1;
    for (int n = 0; n < count; n++) {
      int i = hashes[n] & mask;
      while (table[i] != 0) i = (i + 1) & mask;
      table[i] = n + 1;
    }
  }
}
