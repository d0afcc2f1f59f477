package org.csp.edge.decision;

import java.util.Arrays;

/**
 * What a hub's decisions remember: per code its rate (and open storm), per device its recent header counters,
 * the last operations' verdicts, and when its last alert came. Objects while an operation runs on the hub (and
 * while it storms); in between, {@link #pack packed} into one byte array: this class is that byte layout.
 */
final class HubTracking {
  /** Enough for the retries Hazelcast makes when a member leaves mid-operation (seconds, a few operations). */
  private static final int REMEMBERED_OPERATIONS = 8;

  private static final CodeStorm[] NO_CODES = new CodeStorm[0];
  private static final DeviceHeaders[] NO_DEVICES = new DeviceHeaders[0];

  /** In the order first seen. */
  private CodeStorm[] codes = NO_CODES;
  /** In the order first seen. */
  private DeviceHeaders[] headers = NO_DEVICES;
  /**
   * The last operations, so an operation run twice (at-least-once) answers the same: pairs of (operation id, its
   * verdicts packed by {@link PackedVerdicts}); grows to {@link #REMEMBERED_OPERATIONS} pairs as operations come.
   */
  private long[] recentOperations;
  /** The verdicts of remembered operations too large to pack, by slot; null until one was. */
  private byte[][] unpackedVerdicts;
  private int recentNext;
  long lastAlertAt = Long.MIN_VALUE;

  /** The hub's codes, in the order first seen. */
  CodeStorm[] codes() {
    return codes;
  }

  boolean storming() {
    for (CodeStorm c : codes) if (c.inStorm()) return true;
    return false;
  }

  /** The code's storm state; null for a new code once the hub has {@code maxCodesPerHub} (no storm is kept for it). */
  CodeStorm stormOf(String alertCode, AlertPolicy policy) {
    CodeStorm known = knownStormOf(alertCode);
    if (known != null || codes.length >= policy.maxCodesPerHub()) return known;
    return addStorm(alertCode);
  }

  /** The code's storm state whatever the bound: a copy of a hub restores what the original held. */
  CodeStorm restoredStormOf(String alertCode) {
    CodeStorm known = knownStormOf(alertCode);
    return known != null ? known : addStorm(alertCode);
  }

  private CodeStorm knownStormOf(String alertCode) {
    char key = AlertCodes.key(alertCode);
    for (CodeStorm storm : codes) if (storm.isFor(key)) return storm;
    return null;
  }

  private CodeStorm addStorm(String alertCode) {
    CodeStorm storm = new CodeStorm(alertCode);
    codes = append(codes, storm);
    return storm;
  }

  /** The device's recent headers; null for a new device once the hub has {@code maxDevicesPerHub} (it is not tracked). */
  DeviceHeaders headersOf(String deviceId, AlertPolicy policy) {
    long device = DeviceHeaders.eui64(deviceId);
    for (DeviceHeaders h : headers) if (h.isFor(device)) return h;
    if (headers.length >= policy.maxDevicesPerHub()) return null;
    DeviceHeaders h = new DeviceHeaders(device, policy.duplicateMemoryPerDevice());
    headers = append(headers, h);
    return h;
  }

  /** Grows by one: a hub's codes and devices are few and added once each, so exact sizes cost least. */
  private static <T> T[] append(T[] array, T item) {
    T[] longer = Arrays.copyOf(array, array.length + 1);
    longer[longer.length - 1] = item;
    return longer;
  }

  byte[] verdictsOf(long operationId) {
    if (recentOperations == null) return null;
    for (int slot = 0; slot < recentOperations.length / 2; slot++) {
      if (recentOperations[2 * slot] != operationId) continue;
      long packed = recentOperations[2 * slot + 1];
      return packed == PackedVerdicts.UNPACKED ? unpackedVerdicts[slot] : PackedVerdicts.unpack(packed);
    }
    return null;
  }

  void remember(long operationId, byte[] verdicts) {
    if (recentOperations == null) {
      recentOperations = new long[2];
    } else if (recentOperations.length / 2 < REMEMBERED_OPERATIONS && recentNext == 0) {
      // Still growing (it wraps only when full): the remembered keep their slots, the new one takes the next.
      recentNext = recentOperations.length / 2;
      recentOperations = Arrays.copyOf(recentOperations, 2 * Math.min(REMEMBERED_OPERATIONS, 2 * recentNext));
    }
    int slot = recentNext;
    long packed = PackedVerdicts.pack(verdicts);
    recentOperations[2 * slot] = operationId;
    recentOperations[2 * slot + 1] = packed;
    if (packed == PackedVerdicts.UNPACKED || unpackedVerdicts != null) {
      if (unpackedVerdicts == null) unpackedVerdicts = new byte[REMEMBERED_OPERATIONS][];
      unpackedVerdicts[slot] = packed == PackedVerdicts.UNPACKED ? verdicts : null;
    }
    recentNext = (slot + 1) % (recentOperations.length / 2);
  }

  /**
   * Everything above in one exact-size byte array: the last alert's time first, then the codes, the devices
   * (times relative to the last alert) and the remembered operations (verdicts at two bits each). A hub with one
   * code, one device and one operation packs into about 45 bytes (a 64-byte array).
   */
  byte[] pack() {
    return pack(false);
  }

  /** {@code stormsApart}: codes that storm pack their rate only, their open storms go beside (the cluster's form). */
  byte[] pack(boolean stormsApart) {
    Packing.Writer out = Packing.Writer.scratch();
    long base = lastAlertAt;
    out.zigzag(base);
    out.varInt(codes.length);
    for (CodeStorm c : codes) {
      if (stormsApart) c.packRate(out, base);
      else c.pack(out, base);
    }
    out.varInt(headers.length);
    for (DeviceHeaders h : headers) h.pack(out, base);
    int slots = recentOperations == null ? 0 : recentOperations.length / 2;
    out.varInt(slots);
    if (slots > 0) out.varInt(recentNext);
    for (int slot = 0; slot < slots; slot++) {
      out.fixed64(recentOperations[2 * slot]);
      long verdicts = recentOperations[2 * slot + 1];
      if (verdicts == PackedVerdicts.UNPACKED) {
        byte[] bytes = unpackedVerdicts[slot];
        out.byte1(0xFF);
        out.varInt(bytes.length);
        out.bytes(bytes);
      } else {
        int n = (int) (verdicts >>> 56);
        out.byte1(n);
        for (int b = 0; b < (2 * n + 7) / 8; b++) out.byte1((int) (verdicts >>> (8 * b)));
      }
    }
    return out.toArray();
  }

  static HubTracking unpack(byte[] packed) {
    HubTracking t = new HubTracking();
    if (packed == null) return t;
    Packing.Reader in = new Packing.Reader(packed);
    long base = in.zigzag();
    t.lastAlertAt = base;
    int n = in.varInt();
    if (n > 0) {
      t.codes = new CodeStorm[n];
      for (int i = 0; i < n; i++) t.codes[i] = CodeStorm.unpack(in, base);
    }
    n = in.varInt();
    if (n > 0) {
      t.headers = new DeviceHeaders[n];
      for (int i = 0; i < n; i++) t.headers[i] = DeviceHeaders.unpack(in, base);
    }
    int slots = in.varInt();
    if (slots > 0) {
      t.recentNext = in.varInt();
      t.recentOperations = new long[2 * slots];
      for (int slot = 0; slot < slots; slot++) {
        t.recentOperations[2 * slot] = in.fixed64();
        int count = in.byte1();
        if (count == 0xFF) {
          if (t.unpackedVerdicts == null) t.unpackedVerdicts = new byte[REMEMBERED_OPERATIONS][];
          t.unpackedVerdicts[slot] = in.bytes(in.varInt());
          t.recentOperations[2 * slot + 1] = PackedVerdicts.UNPACKED;
        } else {
          long verdicts = (long) count << 56;
          for (int b = 0; b < (2 * count + 7) / 8; b++) verdicts |= (long) in.byte1() << (8 * b);
          t.recentOperations[2 * slot + 1] = verdicts;
        }
      }
    }
    if (!in.done()) throw new IllegalStateException("hub state: " + packed.length + " bytes packed, fewer read");
    return t;
  }

  static long lastAlertAt(byte[] packed) {
    return new Packing.Reader(packed).zigzag();
  }

  // The cluster's serialized form (org.csp.edge.cluster.state).

  /** The open storms of the codes that storm, in the codes' order. */
  java.util.List<OpenStormParts> openStorms() {
    java.util.List<OpenStormParts> storms = new java.util.ArrayList<>(1);
    for (CodeStorm c : codes) if (c.inStorm()) storms.add(c.openStorm());
    return storms;
  }
}
