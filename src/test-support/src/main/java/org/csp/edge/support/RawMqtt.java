package org.csp.edge.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * MQTT 3.1.1 packets written byte by byte, for tests that send what a client library would never send (a resend
 * flood, a CONNECT with a huge will, a packet out of order) over a plain socket.
 */
public final class RawMqtt {
  private RawMqtt() {}

  /** A packet: its first byte (type and flags), the remaining length in MQTT's variable-length encoding, the body. */
  public static byte[] packet(int header, byte[]... body) {
    byte[] b = concat(body);
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.write(header);
    int n = b.length;
    do {
      int digit = n % 128;
      n /= 128;
      p.write(n > 0 ? digit | 0x80 : digit);
    } while (n > 0);
    p.writeBytes(b);
    return p.toByteArray();
  }

  /** A UTF-8 string with its two-byte length, as MQTT writes topics, client ids and user names. */
  public static byte[] string(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Binary data with its two-byte length (a will message, a password). */
  public static byte[] bytes(byte[] b) {
    return concat(new byte[] {(byte) (b.length >> 8), (byte) b.length}, b);
  }

  /** A PUBLISH of QoS 1 or 2 ({@code header} 0x32, 0x34; 0x3A, 0x3C with DUP): topic, packet id, payload. */
  public static byte[] publish(int header, String topic, int packetId, byte[] payload) {
    return packet(header, string(topic), new byte[] {(byte) (packetId >> 8), (byte) packetId}, payload);
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }
}
