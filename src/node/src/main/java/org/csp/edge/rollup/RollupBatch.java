package org.csp.edge.rollup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.csp.edge.alert.Dmc;

/**
 * What one member boot ({@code source}) counted in one period, cumulative since it started: the unit that is
 * shared (one entry per source and period in the cluster map) and stored (upserted where {@code seq} is newer).
 * Written again whole at every flush, so a flush repeated or lost never double counts: the newest wins.
 */
public record RollupBatch(String source, long seq, Period period, long start, List<RollupRow> rows, List<TopRow> tops) {
  private static final int FORMAT = 1;

  /** The key of its entry in the shared map: one per source and period. */
  public String key() {
    return source + "|" + period.name() + "|" + start;
  }

  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(FORMAT);
      out.writeUTF(source);
      out.writeLong(seq);
      out.writeUTF(period.name());
      out.writeLong(start);
      out.writeInt(rows.size());
      for (RollupRow r : rows) {
        out.writeUTF(r.alertCode());
        out.writeBoolean(r.dmc() != null);
        if (r.dmc() != null) {
          out.writeUTF(r.dmc().manufacturer());
          out.writeUTF(r.dmc().model());
          out.writeUTF(r.dmc().firmware());
        }
        out.writeUTF(r.outcome());
        out.writeLong(r.tally().count());
        writeBytes(out, r.tally().hubs());
        writeBytes(out, r.tally().devices());
      }
      out.writeInt(tops.size());
      for (TopRow t : tops) {
        out.writeUTF(t.alertCode());
        out.writeUTF(t.of());
        writeBytes(out, t.sketch());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static RollupBatch decode(byte[] image) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(image))) {
      int format = in.readInt();
      if (format != FORMAT) throw new IllegalArgumentException("rollup batch format " + format + " is not known");
      String source = in.readUTF();
      long seq = in.readLong();
      Period period = Period.valueOf(in.readUTF());
      long start = in.readLong();
      int n = in.readInt();
      List<RollupRow> rows = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String code = in.readUTF();
        Dmc dmc = in.readBoolean() ? new Dmc(in.readUTF(), in.readUTF(), in.readUTF()) : null;
        String outcome = in.readUTF();
        rows.add(new RollupRow(code, dmc, outcome, new Tally(in.readLong(), readBytes(in), readBytes(in))));
      }
      int m = in.readInt();
      List<TopRow> tops = new ArrayList<>(m);
      for (int i = 0; i < m; i++) tops.add(new TopRow(in.readUTF(), in.readUTF(), readBytes(in)));
      return new RollupBatch(source, seq, period, start, rows, tops);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return b;
  }
}
