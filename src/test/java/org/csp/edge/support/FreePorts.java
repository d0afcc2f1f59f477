package org.csp.edge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

public final class FreePorts {
  private FreePorts() {}

  public static int next() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The ports of {@code from..to} (inclusive) that can be bound now, on every address and without SO_REUSEADDR:
   * the way Hazelcast binds its member port, so a port still in TIME_WAIT counts as taken, as it does for it.
   */
  public static List<Integer> freeIn(int from, int to) {
    List<Integer> free = new ArrayList<>();
    for (int port = from; port <= to; port++) {
      if (bindable(port)) free.add(port);
    }
    return free;
  }

  /** The first of {@code count} consecutive ports that are all free now (for launchers that number ports from a base). */
  public static int block(int count) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 30_000);
      boolean all = true;
      for (int p = base; p < base + count && all; p++) all = bindable(p);
      if (all) return base;
    }
    throw new IllegalStateException("no block of " + count + " free ports found in 20000-30000");
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }
}
