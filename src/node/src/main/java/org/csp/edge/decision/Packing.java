package org.csp.edge.decision;

import java.util.Arrays;

/**
 * The byte layout a hub's steady state is kept in between operations (src/docs/design.md, "Where state lives"):
 * variable length integers (LEB128; signed ones zigzagged), so that small counts and times close to the hub's last
 * alert take one to three bytes instead of eight. Only {@link HubState} and the parts it packs use it.
 */
final class Packing {
  private Packing() {}

  /** Writes into a scratch buffer of the calling thread (a partition thread), then hands out an exact copy. */
  static final class Writer {
    private static final ThreadLocal<Writer> SCRATCH = ThreadLocal.withInitial(Writer::new);
    private byte[] buf = new byte[256];
    private int at;

    static Writer scratch() {
      Writer w = SCRATCH.get();
      w.at = 0;
      return w;
    }

    void byte1(int b) {
      ensure(1);
      buf[at++] = (byte) b;
    }

    void fixed64(long v) {
      ensure(8);
      for (int i = 0; i < 8; i++) buf[at++] = (byte) (v >>> (8 * i));
    }

    void fixed16(char v) {
      ensure(2);
      buf[at++] = (byte) v;
      buf[at++] = (byte) (v >>> 8);
    }

    /** Unsigned: any long, 1 byte below 128, 10 for a negative one. */
    void varLong(long v) {
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        buf[at++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[at++] = (byte) v;
    }

    void varInt(int v) {
      varLong(v & 0xFFFFFFFFL);
    }

    /** Signed: small magnitudes either side of zero take few bytes. */
    void zigzag(long v) {
      varLong((v << 1) ^ (v >> 63));
    }

    void bytes(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, at, b.length);
      at += b.length;
    }

    /** The bytes written so far. */
    int size() {
      return at;
    }

    byte[] toArray() {
      return Arrays.copyOf(buf, at);
    }

    private void ensure(int n) {
      if (at + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, at + n));
    }
  }

  static final class Reader {
    private final byte[] buf;
    private int at;

    Reader(byte[] buf) {
      this.buf = buf;
    }

    /** Reading from {@code at} on. */
    Reader(byte[] buf, int at) {
      this.buf = buf;
      this.at = at;
    }

    int byte1() {
      return buf[at++] & 0xFF;
    }

    long fixed64() {
      long v = 0;
      for (int i = 0; i < 8; i++) v |= (buf[at++] & 0xFFL) << (8 * i);
      return v;
    }

    char fixed16() {
      int lo = buf[at++] & 0xFF;
      return (char) (lo | (buf[at++] & 0xFF) << 8);
    }

    long varLong() {
      long v = 0;
      for (int shift = 0; ; shift += 7) {
        byte b = buf[at++];
        v |= (long) (b & 0x7F) << shift;
        if (b >= 0) return v;
      }
    }

    int varInt() {
      return (int) varLong();
    }

    long zigzag() {
      long v = varLong();
      return (v >>> 1) ^ -(v & 1);
    }

    byte[] bytes(int n) {
      byte[] b = Arrays.copyOfRange(buf, at, at + n);
      at += n;
      return b;
    }

    boolean done() {
      return at == buf.length;
    }
  }
}
