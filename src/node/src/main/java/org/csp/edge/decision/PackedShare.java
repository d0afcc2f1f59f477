package org.csp.edge.decision;

import java.util.Arrays;

/**
 * A hub's lone open group share kept at the end of its packed tracking (src/bench/results/2026-12-06-memory-grouped.md):
 * a burst reaches a million hubs at once, each with one open share of one code and nothing else transient, and
 * objects for it cost 64 bytes a hub ({@link GroupShares} and {@link GroupShare}), these bytes 3 for a hub whose one
 * alert was grouped, a few more otherwise. Layout, after the tracking's own bytes: the code's key (two bytes), the
 * count unless it is 1, the first and last grouped alert relative to the hub's last alert unless they are that alert,
 * then one byte saying how many bytes the share took (so that the tracking is found again without reading it) and
 * which of its fields were left out. Only the heap's form: the cluster's serialized form lists the share as before.
 */
final class PackedShare {
  /** The last byte: the share's length (at most 2 + 5 + 10 + 10 bytes) and which of its fields are left out. */
  private static final int LENGTH = 0x1F;
  private static final int COUNT_ONE = 0x20;
  private static final int FIRST_AT_BASE = 0x40;
  private static final int LAST_AT_BASE = 0x80;

  private PackedShare() {}

  /** Whether the share can be packed: its code is one {@link AlertCodes} keys (as every share grouped here). */
  static boolean fits(GroupShare share) {
    String code = share.alertCode();
    if (code.length() != 4) return false;
    for (int i = 0; i < 4; i++) {
      char c = code.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return false;
    }
    return true;
  }

  /** {@code tracking} (packed, not null) with {@code share} after it. */
  static byte[] fold(byte[] tracking, GroupShare share) {
    long base = HubTracking.lastAlertAt(tracking);
    Packing.Writer out = Packing.Writer.scratch();
    out.bytes(tracking);
    out.fixed16(AlertCodes.key(share.alertCode()));
    int tail = 0;
    if (share.count() == 1) tail |= COUNT_ONE;
    else out.varInt(share.count());
    if (share.firstAt() == base) tail |= FIRST_AT_BASE;
    else out.zigzag(share.firstAt() - base);
    if (share.lastAt() == base) tail |= LAST_AT_BASE;
    else out.zigzag(share.lastAt() - base);
    out.byte1(tail | out.size() - tracking.length);
    return out.toArray();
  }

  /** The tracking's bytes alone. */
  static byte[] tracking(byte[] folded) {
    return Arrays.copyOf(folded, trackingLength(folded));
  }

  /** The share folded into the bytes. */
  static GroupShare share(byte[] folded) {
    long base = HubTracking.lastAlertAt(folded);
    Packing.Reader in = new Packing.Reader(folded, trackingLength(folded));
    int tail = folded[folded.length - 1] & 0xFF;
    String code = AlertCodes.name(in.fixed16());
    int count = (tail & COUNT_ONE) != 0 ? 1 : in.varInt();
    long firstAt = (tail & FIRST_AT_BASE) != 0 ? base : base + in.zigzag();
    long lastAt = (tail & LAST_AT_BASE) != 0 ? base : base + in.zigzag();
    return new GroupShare(code, count, firstAt, lastAt);
  }

  private static int trackingLength(byte[] folded) {
    return folded.length - 1 - (folded[folded.length - 1] & LENGTH);
  }
}
