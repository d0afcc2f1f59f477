package org.csp.edge.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel dropping every packet to and from one loopback address (iptables), as a network that loses a member
 * does: its connections stay open, nothing crosses them either way, and only a heartbeat timeout tells. Done below
 * the members, so no copying thread of the test stands between them (as {@link MemberLinks}' proxies do). The rules
 * live in a chain of this test run's own, hooked into INPUT (every packet on loopback passes it) and removed on
 * close; a chain left by a run that was killed is removed at the next start. Needs root and iptables (installed by
 * the tests' set-up, src/test-support/test-packages).
 */
final class PacketDrops implements AutoCloseable {
  private static final String PREFIX = "csp-drops-";
  private final String chain = PREFIX + ProcessHandle.current().pid();

  PacketDrops() {
    removeChainsOfDeadRuns();
    iptables("-N", chain);
    iptables("-I", "INPUT", "-j", chain);
  }

  /** Drops every packet from or to {@code address} until {@link #restore}. */
  void drop(String address) {
    iptables("-A", chain, "-s", address, "-j", "DROP");
    iptables("-A", chain, "-d", address, "-j", "DROP");
  }

  /** Lets every packet through again. */
  void restore() {
    iptables("-F", chain);
  }

  @Override
  public void close() {
    remove(chain);
  }

  private static void remove(String chain) {
    iptables("-F", chain);
    iptables("-D", "INPUT", "-j", chain);
    iptables("-X", chain);
  }

  private static void removeChainsOfDeadRuns() {
    for (String line : iptables("-S").split("\n")) {
      if (!line.startsWith("-N " + PREFIX)) continue;
      String stale = line.substring(3).trim();
      long pid = Long.parseLong(stale.substring(PREFIX.length()));
      if (ProcessHandle.of(pid).isPresent()) continue;
      try {
        remove(stale);
      } catch (IllegalStateException e) {
        // Half removed by the run that was killed: what is left goes with its chain, or stays harmless (empty).
      }
    }
  }

  /** Runs iptables (waiting for its lock), failing with what it said. */
  private static String iptables(String... arguments) {
    List<String> command = new ArrayList<>(List.of("iptables", "-w", "10"));
    command.addAll(List.of(arguments));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", command) + " failed: " + out.trim());
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("this test drops packets with iptables, as root (apt-get install iptables): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running iptables", e);
    }
  }
}
