package org.csp.edge.durability;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * One record of the journal: the newest image of {@code key} in {@code family}, or its removal ({@code image} null);
 * or, in a family that {@linkplain Family#follows follows} another, one change to apply, in order, after the newest
 * image of the same key in that other family. On disk: body length, CRC-32C of the body, body (family, removed flag, key length, key, image). A record whose
 * length or checksum does not hold is where a crash cut the file: reading stops there.
 */
public record JournalRecord(Family family, String key, byte[] image) {
  /** What a record is of. The codes are on disk: never reuse one. */
  public enum Family {
    HUB(1), GROUP(2), COUNTS(3), SCHEMA(4),
    /** One operation on a hub, in the form its backup replays: applied after the hub's newest HUB image. */
    HUB_CHANGE(5, HUB);

    final byte code;
    /** The family of the images these records change; null for a family of images. */
    final Family follows;

    Family(int code) {
      this(code, null);
    }

    Family(int code, Family follows) {
      this.code = (byte) code;
      this.follows = follows;
    }

    static Family of(byte code) {
      for (Family f : values()) if (f.code == code) return f;
      return null;
    }
  }

  static final int HEADER_BYTES = 8;
  private static final int BODY_FIXED_BYTES = 4;
  private static final byte PUT = 1;
  private static final byte REMOVED = 2;

  public boolean removed() {
    return image == null;
  }

  /** Family and key: what a newer record of the same key replaces (for a change: the image it follows). */
  String slot() {
    return (family.follows != null ? family.follows.code : family.code) + ":" + key;
  }

  boolean change() {
    return family.follows != null;
  }

  ByteBuffer encode() {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    int imageBytes = image == null ? 0 : image.length;
    int body = BODY_FIXED_BYTES + k.length + imageBytes;
    ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + body);
    out.putInt(body).putInt(0);
    out.put(family.code).put(image == null ? REMOVED : PUT).putShort((short) k.length).put(k);
    if (image != null) out.put(image);
    CRC32C crc = new CRC32C();
    crc.update(out.array(), HEADER_BYTES, body);
    out.putInt(4, (int) crc.getValue());
    return out.flip();
  }

  /** The record at {@code in}'s position, advancing past it; null (position unchanged) if none whole is there. */
  static JournalRecord decode(ByteBuffer in) {
    int start = in.position();
    if (in.remaining() < HEADER_BYTES) return null;
    int body = in.getInt(start);
    int sum = in.getInt(start + 4);
    if (body < BODY_FIXED_BYTES || body > in.remaining() - HEADER_BYTES) return null;
    byte[] bytes = new byte[body];
    in.get(start + HEADER_BYTES, bytes);
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    if ((int) crc.getValue() != sum) return null;
    ByteBuffer b = ByteBuffer.wrap(bytes);
    Family family = Family.of(b.get());
    byte op = b.get();
    int keyLength = Short.toUnsignedInt(b.getShort());
    if (family == null || (op != PUT && op != REMOVED) || keyLength > b.remaining()) return null;
    String key = new String(bytes, BODY_FIXED_BYTES, keyLength, StandardCharsets.UTF_8);
    byte[] image = null;
    if (op == PUT) {
      image = new byte[body - BODY_FIXED_BYTES - keyLength];
      System.arraycopy(bytes, BODY_FIXED_BYTES + keyLength, image, 0, image.length);
    }
    in.position(start + HEADER_BYTES + body);
    return new JournalRecord(family, key, image);
  }
}
