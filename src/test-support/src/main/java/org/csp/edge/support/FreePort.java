package org.csp.edge.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports free right now, for the broker, the relay and the node: a benchmark (or a test) must not need a quiet
 * machine's 1883. They are drawn below the kernel's ephemeral range: a port there is never taken by an outgoing
 * connection in the moment between being chosen and being bound (an ephemeral port from {@code new ServerSocket(0)}
 * was, once: a node started seconds after its ports were chosen failed with "Address already in use"). A port is
 * handed out once per JVM, and only when it can be bound without SO_REUSEADDR, so one in TIME_WAIT counts as taken.
 */
public final class FreePort {
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  /** Linux's default start of the ephemeral range, when the kernel does not say. */
  private static final int DEFAULT_EPHEMERAL_START = 32_768;
  /** Ports drawn from this many below the ephemeral range (and never below {@link #LOWEST}). */
  private static final int SPAN = 12_000;
  private static final int LOWEST = 10_000;
  private static final int ATTEMPTS = 1_000;
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private FreePort() {}

  public static int next() {
    return block(1);
  }

  /** The first of {@code count} consecutive free ports (for launchers that number ports from a base). */
  public static synchronized int block(int count) {
    int top = ephemeralStart();
    int bottom = Math.max(LOWEST, top - SPAN);
    if (top - bottom < count * 10) return anyEphemeral(count);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(bottom, top - count + 1);
      boolean all = true;
      for (int p = base; p < base + count && all; p++) all = !HANDED_OUT.contains(p) && bindable(p);
      if (all) {
        for (int p = base; p < base + count; p++) HANDED_OUT.add(p);
        return base;
      }
    }
    throw new IllegalStateException("no block of " + count + " free ports in " + bottom + "-" + (top - 1));
  }

  /** The kernel leaves no room below its ephemeral range: take what it gives (one port only). */
  private static int anyEphemeral(int count) {
    if (count != 1) throw new IllegalStateException("no room below the ephemeral port range for a block of " + count);
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port: " + e.getMessage(), e);
    }
  }

  /** Read by lines: {@code Files.readString} of this /proc file returns its first byte only (its size says 0). */
  private static int ephemeralStart() {
    try {
      return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return DEFAULT_EPHEMERAL_START;
    }
  }

  /** Whether {@code port} can be bound now on every address without SO_REUSEADDR (as Hazelcast binds its own). */
  public static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }
}
