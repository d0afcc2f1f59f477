package org.csp.edge.decision;

/**
 * The verdicts of one operation in one long, for the memory of recent operations every hub keeps (retries must
 * answer as the first run did): two bits per verdict and the count in the top byte, for up to 28 alerts; larger
 * batches of one hub, rare, and operations with a verdict past the first four ({@link Verdict#SILENCED},
 * {@link Verdict#INHIBITED}) keep their byte array beside it. Saves an array per remembered operation.
 */
final class PackedVerdicts {
  static final int MAX = 28;
  /** Marks an operation whose verdicts did not fit: they are kept as bytes. */
  static final long UNPACKED = -1L;

  private PackedVerdicts() {}

  static long pack(byte[] verdicts) {
    if (verdicts.length > MAX) return UNPACKED;
    // Two bits hold the first four verdicts; an operation with a later one (a held alert) keeps its bytes.
    for (byte v : verdicts) if (v > 3) return UNPACKED;
    long packed = (long) verdicts.length << 56;
    for (int i = 0; i < verdicts.length; i++) packed |= (long) (verdicts[i] & 3) << (2 * i);
    return packed;
  }

  static byte[] unpack(long packed) {
    byte[] verdicts = new byte[(int) (packed >>> 56)];
    for (int i = 0; i < verdicts.length; i++) verdicts[i] = (byte) (packed >>> (2 * i) & 3);
    return verdicts;
  }
}
