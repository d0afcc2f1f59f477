package org.csp.edge.durability;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * One record of the journal: the newest image of {@code key} in {@code family}, or its removal ({@code image} null);
 * or, in a family that {@linkplain Family#follows follows} another, one change to apply, in order, after the newest
 * image of the same key in that other family. On disk: body length, CRC-32C of the body, body (family, removed flag, key length, key, image). A record whose
 * length or checksum does not hold is where a crash cut the file: reading stops there. A whole record of a family
 * code this release does not know was written by a newer one: readers pass over it ({@link #passUnknownFamily}).
 */
public record JournalRecord(Family family, String key, byte[] image) {
  /** What a record is of. The codes are on disk: never reuse one. */
  public enum Family {
    HUB(1), GROUP(2), COUNTS(3), SCHEMA(4),
    /** One operation on a hub, in the form its backup replays: applied after the hub's newest HUB image. */
    HUB_CHANGE(5, HUB),
    /** A policy that journaled operations name by its key (their policy is not journaled whole each time). */
    POLICY(6),
    /**
     * A hub's image in a raw form of the journal's own (cluster.JournalForms: no Compact schema), in the slot of its
     * {@link #HUB} image: the newer of the two is the hub's image, and ends the changes before it.
     */
    HUB_PACKED(7, null, HUB),
    /**
     * A hub that does not storm, with the alerts it forwarded still waiting and its group shares, in another raw form
     * of the journal's own (cluster.RawHubImage), in the slot of its {@link #HUB} image as {@link #HUB_PACKED} is.
     */
    HUB_RAW(8, null, HUB),
    /** A storming hub's decision in a raw form of the journal's own (cluster.RawDecision): a change, as {@link #HUB_CHANGE}. */
    HUB_DECISION(9, HUB);

    final byte code;
    /** The family of the images these records change; null for a family of images. */
    final Family follows;
    /** For another form of another family's images: that family, whose slot these records share; else null. */
    final Family formOf;

    Family(int code) {
      this(code, null, null);
    }

    Family(int code, Family follows) {
      this(code, follows, null);
    }

    Family(int code, Family follows, Family formOf) {
      this.code = (byte) code;
      this.follows = follows;
      this.formOf = formOf;
    }

    /** The code of the family whose slots this family's records are in. */
    byte slotCode() {
      return follows != null ? follows.code : formOf != null ? formOf.code : code;
    }

    /** By code (an array: {@code values()} would copy itself at each of the lookups a read makes per record). */
    private static final Family[] BY_CODE = new Family[256];

    static {
      for (Family f : values()) BY_CODE[Byte.toUnsignedInt(f.code)] = f;
    }

    static Family of(byte code) {
      return BY_CODE[Byte.toUnsignedInt(code)];
    }
  }

  static final int HEADER_BYTES = 8;
  private static final int BODY_FIXED_BYTES = 4;
  private static final byte PUT = 1;
  private static final byte REMOVED = 2;

  public boolean removed() {
    return image == null;
  }

  /**
   * Family and key: what a newer record of the same key replaces (for a change: the image it follows; for another
   * form of an image: that image).
   */
  Slot slot() {
    return new Slot(family.slotCode(), key);
  }

  /** A record's place among the newest images: its image family's code and its key. */
  record Slot(byte family, String key) {}

  boolean change() {
    return family.follows != null;
  }

  ByteBuffer encode() {
    Frame frame = frame();
    ByteBuffer out = ByteBuffer.allocate(frame.bytes());
    frame.writeInto(out);
    return out.flip();
  }

  /**
   * The record as it is written: its key's bytes and its checksum are taken here, before the journal's locks, so
   * that an append holds them only while its bytes are copied (the appenders are the partition threads).
   */
  Frame frame() {
    byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8); // an ASCII key (every id) is copied as it is
    byte op = image == null ? REMOVED : PUT;
    CRC32C crc = new CRC32C();
    crc.update(family.code);
    crc.update(op);
    crc.update(keyBytes.length >>> Byte.SIZE);
    crc.update(keyBytes.length);
    crc.update(keyBytes);
    if (image != null) crc.update(image);
    return new Frame(family.code, op, keyBytes, image, (int) crc.getValue());
  }

  /** A record framed for the journal: on disk, body length, CRC-32C of the body, then the body. */
  record Frame(byte family, byte op, byte[] key, byte[] image, int checksum) {
    private int body() {
      return BODY_FIXED_BYTES + key.length + (image == null ? 0 : image.length);
    }

    /** How many bytes {@link #writeInto} writes. */
    int bytes() {
      return HEADER_BYTES + body();
    }

    /**
     * Writes the record at {@code out}'s position (which has room for {@link #bytes}): the journal's appends write
     * into one reused direct buffer, so that a record costs no buffer of its own and no copy into the temporary
     * direct buffer that a heap buffer's {@code write} takes.
     */
    void writeInto(ByteBuffer out) {
      out.putInt(body()).putInt(checksum).put(family).put(op).putShort((short) key.length).put(key);
      if (image != null) out.put(image);
    }
  }

  /**
   * The record at {@code in}'s position, advancing past it; null (position unchanged) if none whole is there, or if
   * the whole record there is of a family this release does not know ({@link #passUnknownFamily} tells which).
   */
  static JournalRecord decode(ByteBuffer in) {
    int start = in.position();
    return pass(in) ? read(in, start, in.position()) : null;
  }

  /**
   * Passes over the whole record of a known family at {@code in}'s position, checking it: the record's bytes are those
   * between the two positions. False (position unchanged) if none whole is there, or if the whole record there is of
   * a family this release does not know.
   */
  static boolean pass(ByteBuffer in) {
    int body = wholeBody(in);
    if (body < 0 || Family.of(in.get(in.position() + HEADER_BYTES)) == null) return false;
    in.position(in.position() + HEADER_BYTES + body);
    return true;
  }

  /**
   * The whole record of a known family that {@link #pass} passed, from {@code start} to {@code end} of {@code in}:
   * its length and checksum held there, so they are not checked again (a start reads every record of the journal).
   */
  static JournalRecord read(ByteBuffer in, int start, int end) {
    int at = start + HEADER_BYTES;
    int keyLength = keyLengthAt(in, start);
    byte[] image = null;
    if (in.get(at + 1) == PUT) {
      int imageAt = keyAt(start) + keyLength;
      image = new byte[end - imageAt];
      in.get(imageAt, image);
    }
    return new JournalRecord(Family.of(in.get(at)), key(in, at, keyLength), image);
  }

  /** The code of the family whose slots hold the whole record of a known family at {@code start}. */
  static byte slotCodeAt(ByteBuffer in, int start) {
    return Family.of(in.get(start + HEADER_BYTES)).slotCode();
  }

  /** Where the key of the record at {@code start} begins. */
  static int keyAt(int start) {
    return start + HEADER_BYTES + BODY_FIXED_BYTES;
  }

  /** How many bytes the key of the whole record at {@code start} has. */
  static int keyLengthAt(ByteBuffer in, int start) {
    return Short.toUnsignedInt(in.getShort(start + HEADER_BYTES + 2));
  }

  /** Whether the whole record of a known family at {@code start} is a change (its family follows another's images). */
  static boolean changeAt(ByteBuffer in, int start) {
    return Family.of(in.get(start + HEADER_BYTES)).follows != null;
  }

  /** Whether the whole record at {@code start} is a removal. */
  static boolean removalAt(ByteBuffer in, int start) {
    return in.get(start + HEADER_BYTES + 1) == REMOVED;
  }

  /**
   * Passes over a whole record of a family this release does not know (a newer release's): its family code, with
   * {@code in} advanced past it; -1 (position unchanged) if what is there is not such a record (a known family's, or
   * none whole: a cut tail). What the record means is unknown here, image or change, so it is only counted.
   */
  static int passUnknownFamily(ByteBuffer in) {
    int body = wholeBody(in);
    if (body < 0) return -1;
    byte code = in.get(in.position() + HEADER_BYTES);
    if (Family.of(code) != null) return -1;
    in.position(in.position() + HEADER_BYTES + body);
    return Byte.toUnsignedInt(code);
  }

  /**
   * The body's length of the whole, valid record at {@code in}'s position, of whatever family code, or -1 if none is
   * there: the length and checksum hold, the flag is PUT or REMOVED, the key fits the body.
   */
  private static int wholeBody(ByteBuffer in) {
    int start = in.position();
    if (in.remaining() < HEADER_BYTES) return -1;
    int body = in.getInt(start);
    int sum = in.getInt(start + 4);
    if (body < BODY_FIXED_BYTES || body > in.remaining() - HEADER_BYTES) return -1;
    int at = start + HEADER_BYTES;
    CRC32C crc = new CRC32C();
    crc.update(in.slice(at, body));
    if ((int) crc.getValue() != sum) return -1;
    byte op = in.get(at + 1);
    int keyLength = Short.toUnsignedInt(in.getShort(at + 2));
    if ((op != PUT && op != REMOVED) || keyLength > body - BODY_FIXED_BYTES) return -1;
    return body;
  }

  private static String key(ByteBuffer in, int at, int keyLength) {
    byte[] k = new byte[keyLength];
    in.get(at + BODY_FIXED_BYTES, k);
    return new String(k, StandardCharsets.UTF_8);
  }
}
