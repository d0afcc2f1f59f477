package org.csp.edge.inventory;

import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.csp.edge.alert.Dmc;
import org.csp.edge.durability.AtomicFile;

/**
 * The inventory's one binary form: on disk ({@code dataDir/inventory/inventory.bin}) and, cut in chunks, in the
 * cluster's map. A magic number and format version, the import's description (JSON), the models, then the device
 * ids and their model indexes as they are held (10 bytes a device), and a CRC-32C of everything before it: a torn
 * or damaged copy is refused rather than half read.
 */
final class InventoryFile {
  private static final int MAGIC = 0x43535049; // "CSPI"
  private static final int FORMAT = 1;
  private static final int BUFFER = 1 << 16;

  /** A copy that is not an inventory of this format, or is damaged. */
  static final class Damaged extends IOException {
    Damaged(String message) {
      super(message);
    }
  }

  record Loaded(JsonObject description, DeviceTable table) {}

  private InventoryFile() {}

  static void write(DeviceTable table, JsonObject description, OutputStream sink) throws IOException {
    CRC32C crc = new CRC32C();
    BufferedOutputStream buffered = new BufferedOutputStream(sink, BUFFER);
    DataOutputStream out = new DataOutputStream(new CheckedOutputStream(buffered, crc));
    out.writeInt(MAGIC);
    out.writeInt(FORMAT);
    out.writeUTF(description.encode());
    out.writeInt(table.models());
    for (int k = 0; k < table.models(); k++) {
      Dmc d = table.model(k);
      out.writeUTF(d.manufacturer());
      out.writeUTF(d.model());
      out.writeUTF(d.firmware());
    }
    out.writeInt(table.devices());
    for (int i = 0; i < table.devices(); i++) out.writeLong(table.id(i));
    for (int i = 0; i < table.devices(); i++) out.writeShort(table.modelIndex(i));
    out.flush();
    new DataOutputStream(buffered).writeLong(crc.getValue());
    buffered.flush();
  }

  /** Replaces {@code file} whole: a crash leaves the old inventory or the new. */
  static void writeAtomically(DeviceTable table, JsonObject description, Path file) throws IOException {
    AtomicFile.write(file, out -> write(table, description, out));
  }

  static Loaded read(InputStream source) throws IOException {
    CRC32C crc = new CRC32C();
    BufferedInputStream buffered = new BufferedInputStream(source, BUFFER);
    DataInputStream in = new DataInputStream(new CheckedInputStream(buffered, crc));
    try {
      if (in.readInt() != MAGIC) throw new Damaged("not an inventory file");
      int format = in.readInt();
      if (format != FORMAT) throw new Damaged("inventory format " + format + ", this release reads " + FORMAT);
      JsonObject description = new JsonObject(in.readUTF());
      int modelCount = in.readInt();
      if (modelCount < 0 || modelCount > DeviceTable.MAX_MODELS) throw new Damaged(modelCount + " models");
      Dmc[] models = new Dmc[modelCount];
      for (int k = 0; k < modelCount; k++) models[k] = new Dmc(in.readUTF(), in.readUTF(), in.readUTF());
      int devices = in.readInt();
      if (devices < 0) throw new Damaged(devices + " devices");
      long[] ids = new long[devices];
      short[] modelIndex = new short[devices];
      for (int i = 0; i < devices; i++) ids[i] = in.readLong();
      for (int i = 0; i < devices; i++) {
        short k = in.readShort();
        if ((k & 0xFFFF) >= modelCount) throw new Damaged("device " + i + " names model " + (k & 0xFFFF) + " of " + modelCount);
        modelIndex[i] = k;
      }
      long expected = crc.getValue();
      long stored = new DataInputStream(buffered).readLong();
      if (stored != expected) throw new Damaged("checksum differs: the copy is damaged");
      for (int i = 1; i < devices; i++) {
        if (Long.compareUnsigned(ids[i - 1], ids[i]) >= 0) throw new Damaged("device ids out of order at " + i);
      }
      return new Loaded(description, new DeviceTable(ids, modelIndex, models));
    } catch (EOFException e) {
      throw new Damaged("the copy ends early: torn or cut");
    } catch (io.vertx.core.json.DecodeException e) {
      throw new Damaged("its description is not JSON");
    }
  }

  /** Only the description at the head of a file: what a starting member compares with the cluster's. */
  static JsonObject description(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER))) {
      if (in.readInt() != MAGIC) throw new Damaged("not an inventory file");
      if (in.readInt() != FORMAT) throw new Damaged("not this release's inventory format");
      return new JsonObject(in.readUTF());
    } catch (EOFException e) {
      throw new Damaged("the copy ends early: torn or cut");
    }
  }
}
