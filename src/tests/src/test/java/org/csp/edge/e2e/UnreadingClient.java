package org.csp.edge.e2e;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.LongFunction;

/**
 * A client on a raw TCP socket that writes packets (MQTT or HTTP, built by the test) as fast as the socket takes
 * them, reading only when told to: the test decides exactly what the node's answers meet. The packets are numbered
 * from 0, so the same ones can be sent again on another connection.
 */
final class UnreadingClient implements AutoCloseable {
  private static final int BATCH_BYTES = 256 * 1024;
  private static final long IDLE_SLEEP_MS = 1;

  private final SocketChannel channel;
  /** The packets of the batch being written: its bytes and where each packet ends. */
  private ByteBuffer batch = ByteBuffer.allocate(0);
  private long[] ends = new long[0];
  private long firstOfBatch;
  private int inBatch;
  /** Packets written whole so far. */
  private long written;

  private UnreadingClient(SocketChannel channel) {
    this.channel = channel;
  }

  /** Connects; {@code receiveBuffer} 0 keeps the system's size. Blocking until {@link #nonBlocking()}. */
  static UnreadingClient connect(int port, int receiveBuffer) throws IOException {
    SocketChannel ch = SocketChannel.open();
    if (receiveBuffer > 0) ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer); // before connect: the window
    ch.connect(new InetSocketAddress("127.0.0.1", port));
    return new UnreadingClient(ch);
  }

  void write(byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) channel.write(b);
  }

  /** Reads exactly {@code n} bytes (blocking). */
  byte[] read(int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      if (channel.read(b) < 0) throw new EOFException("closed by the node after " + b.position() + " of " + n + " bytes");
    }
    return b.array();
  }

  UnreadingClient nonBlocking() throws IOException {
    channel.configureBlocking(false);
    return this;
  }

  /**
   * Writes packets {@code 0..max-1} in order, never reading, until all are written or the socket has taken nothing
   * for {@code stall} (the node stopped reading and the kernel's buffers on both sides are full).
   *
   * @return the packets written whole
   */
  long flood(LongFunction<byte[]> packet, long max, Duration stall) throws IOException, InterruptedException {
    long lastProgress = System.nanoTime();
    while (written < max) {
      if (!batch.hasRemaining()) nextBatch(packet, max);
      int n = channel.write(batch);
      while (inBatch < ends.length && ends[inBatch] <= batch.position()) {
        inBatch++;
        written = firstOfBatch + inBatch;
      }
      if (n > 0) {
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > stall.toNanos()) {
        return written;
      } else {
        Thread.sleep(IDLE_SLEEP_MS);
      }
    }
    return written;
  }

  /** Whether a packet was written in part when the flood stalled. */
  boolean partial() {
    return inBatch < ends.length && batch.position() > (inBatch == 0 ? 0 : ends[inBatch - 1]);
  }

  /** Writes what the socket takes of the packet written in part, without waiting; true once none is left. */
  boolean continuePartial() throws IOException {
    if (!partial()) return true;
    ByteBuffer rest = batch.duplicate();
    rest.limit((int) ends[inBatch]);
    channel.write(rest);
    batch.position(rest.position());
    if (rest.hasRemaining()) return false;
    inBatch++;
    written = firstOfBatch + inBatch;
    return true;
  }

  long written() {
    return written;
  }

  /** Reads what has arrived into {@code into} without waiting; false once the node closed the connection. */
  boolean readAvailable(ByteBuffer into) throws IOException {
    return channel.read(into) >= 0;
  }

  private void nextBatch(LongFunction<byte[]> packet, long max) {
    ByteBuffer b = ByteBuffer.allocate(BATCH_BYTES);
    long[] e = new long[BATCH_BYTES / 2]; // no packet is shorter than 2 bytes
    int count = 0;
    firstOfBatch = written;
    for (long i = written; i < max; i++) {
      byte[] p = packet.apply(i);
      if (p.length > b.remaining()) break;
      b.put(p);
      e[count++] = b.position();
    }
    b.flip();
    batch = b;
    ends = java.util.Arrays.copyOf(e, count);
    inBatch = 0;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
