package org.csp.edge.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.csp.edge.alert.Alert;
import org.csp.edge.alert.Dmc;
import org.csp.edge.decision.StormEvent;

/**
 * The field encoding of the journal's raw forms ({@link RawHubImage}, {@link RawDecision}): big-endian fixed-width
 * numbers, strings as their UTF-8 length then bytes (-1 for null), and an alert as its fields in order. Written by
 * hand on the partition thread, where a Compact form's per-field lookups were most of the journal's cost.
 */
final class RawFields {
  private RawFields() {}

  private static final int NULL_LENGTH = -1;
  private static final byte ABSENT = 0;
  private static final byte PRESENT = 1;
  private static final int FIRST_CAPACITY = 256;

  /**
   * The largest buffer a thread keeps between records: a storming hub of thousands of devices may need more, once,
   * and gives it back.
   */
  private static final int KEPT_CAPACITY = 64 * 1024;
  private static final ThreadLocal<Out> OF_THREAD = ThreadLocal.withInitial(Out::new);

  /**
   * A growing byte array; {@link #bytes} copies out what was written. One per thread, reused: each journaled record
   * was otherwise two arrays of its size, and the partition threads journal one per alert.
   */
  static final class Out {
    private byte[] buf = new byte[FIRST_CAPACITY];
    private int pos;

    private Out() {}

    /** The calling thread's, emptied: written, then {@link #bytes}, before the thread writes another record. */
    static Out ofThread() {
      Out out = OF_THREAD.get();
      out.pos = 0;
      return out;
    }

    private void room(int n) {
      if (pos + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }

    Out put(byte b) {
      room(1);
      buf[pos++] = b;
      return this;
    }

    Out putInt(int v) {
      room(Integer.BYTES);
      for (int shift = 24; shift >= 0; shift -= 8) buf[pos++] = (byte) (v >>> shift);
      return this;
    }

    Out putLong(long v) {
      room(Long.BYTES);
      for (int shift = 56; shift >= 0; shift -= 8) buf[pos++] = (byte) (v >>> shift);
      return this;
    }

    Out putBytes(byte[] b) {
      if (b == null) return putInt(NULL_LENGTH);
      putInt(b.length);
      room(b.length);
      System.arraycopy(b, 0, buf, pos, b.length);
      pos += b.length;
      return this;
    }

    Out putLongs(long[] v) {
      if (v == null) return putInt(NULL_LENGTH);
      putInt(v.length);
      for (long x : v) putLong(x);
      return this;
    }

    /** ASCII (ids, codes, timestamps: nearly every string) one byte a character without an encoder's array. */
    Out putString(String s) {
      if (s == null) return putInt(NULL_LENGTH);
      int n = s.length();
      room(Integer.BYTES + n);
      int start = pos;
      pos += Integer.BYTES;
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x80) {
          pos = start;
          return putBytes(s.getBytes(StandardCharsets.UTF_8));
        }
        buf[pos++] = (byte) c;
      }
      int end = pos;
      pos = start;
      putInt(n);
      pos = end;
      return this;
    }

    Out putAlert(Alert a) {
      putString(a.hubId()).putString(a.deviceId()).putString(a.deviceType()).putString(a.alertCode());
      putLong(a.originatorCounter()).putString(a.raisedAt()).putLong(a.raisedAtMillis());
      return putDmc(a.dmc()).putString(a.payload());
    }

    Out putDmc(Dmc dmc) {
      if (dmc == null) return put(ABSENT);
      return put(PRESENT).putString(dmc.manufacturer()).putString(dmc.model()).putString(dmc.firmware());
    }

    /** Per device its count; null (a storm between a summary and its period's first alert) stays null. */
    Out putDevices(Map<String, StormEvent.DeviceCount> devices) {
      if (devices == null) return putInt(NULL_LENGTH);
      putInt(devices.size());
      for (Map.Entry<String, StormEvent.DeviceCount> e : devices.entrySet()) {
        StormEvent.DeviceCount d = e.getValue();
        putString(e.getKey()).putInt(d.count()).putString(d.deviceType()).putDmc(d.dmc());
      }
      return this;
    }

    byte[] bytes() {
      byte[] written = Arrays.copyOf(buf, pos);
      if (buf.length > KEPT_CAPACITY) buf = new byte[FIRST_CAPACITY];
      return written;
    }
  }

  /** Reads what {@link Out} wrote; a record shorter than its fields say fails (it is not this form). */
  static final class In {
    private final byte[] buf;
    private int pos;

    In(byte[] buf) {
      this.buf = buf;
    }

    private void need(int n) {
      if (n < 0 || pos + n > buf.length) {
        throw new IllegalStateException("journal: a raw record of " + buf.length + " bytes ends inside a field at " + pos);
      }
    }

    byte get() {
      need(1);
      return buf[pos++];
    }

    int getInt() {
      need(Integer.BYTES);
      int v = 0;
      for (int i = 0; i < Integer.BYTES; i++) v = (v << 8) | (buf[pos++] & 0xff);
      return v;
    }

    long getLong() {
      need(Long.BYTES);
      long v = 0;
      for (int i = 0; i < Long.BYTES; i++) v = (v << 8) | (buf[pos++] & 0xff);
      return v;
    }

    byte[] getBytes() {
      int n = getInt();
      if (n == NULL_LENGTH) return null;
      need(n);
      byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
      pos += n;
      return b;
    }

    long[] getLongs() {
      int n = getInt();
      if (n == NULL_LENGTH) return null;
      if (n < 0 || n > (buf.length - pos) / Long.BYTES) need(-1);
      long[] v = new long[n];
      for (int i = 0; i < n; i++) v[i] = getLong();
      return v;
    }

    String getString() {
      int n = getInt();
      if (n == NULL_LENGTH) return null;
      need(n);
      String s = new String(buf, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    /** A count of items that follow, each at least one byte: a larger one is not this form. */
    int getCount() {
      int n = getInt();
      need(n);
      return n;
    }

    Alert getAlert() {
      String hubId = getString();
      String deviceId = getString();
      String deviceType = getString();
      String alertCode = getString();
      long counter = getLong();
      String raisedAt = getString();
      long raisedAtMillis = getLong();
      Dmc dmc = getDmc();
      return new Alert(hubId, deviceId, deviceType, alertCode, counter, raisedAt, raisedAtMillis, dmc, getString());
    }

    Dmc getDmc() {
      return get() == ABSENT ? null : new Dmc(getString(), getString(), getString());
    }

    Map<String, StormEvent.DeviceCount> getDevices() {
      int n = getInt();
      if (n == NULL_LENGTH) return null;
      need(n);
      Map<String, StormEvent.DeviceCount> devices = new HashMap<>(Math.max(4, n * 2));
      for (int i = 0; i < n; i++) {
        String id = getString();
        devices.put(id, new StormEvent.DeviceCount(getInt(), getString(), getDmc()));
      }
      return devices;
    }

    /** Every byte read: a record with bytes left over is not this form either. */
    void end() {
      if (pos != buf.length) {
        throw new IllegalStateException("journal: a raw record of " + buf.length + " bytes has " + (buf.length - pos)
            + " bytes after its last field");
      }
    }
  }
}
