package org.csp.edge.cluster;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A policy's key in the journal: a digest of its serialized form, so that the same key always means the same policy,
 * across the runs whose segments a start reads together. 128 bits: no two policies of a journal share one.
 */
final class PolicyKey {
  private static final int KEY_BYTES = 16;

  private PolicyKey() {}

  static String of(byte[] serialized) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(serialized);
      return HexFormat.of().formatHex(digest, 0, KEY_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
