package org.csp.edge.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Ports for the bench's and the tests' listeners: below the ephemeral range (where outgoing connections take theirs),
 * never the same twice in one JVM, and bindable when handed out.
 */
class FreePortTest {

  @Test
  void portsAreBelowTheEphemeralRangeDistinctAndBindable() throws Exception {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    int ephemeralStart = Files.isReadable(range) ? Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]) : 32_768;
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      int port = FreePort.next();
      assertTrue(port < ephemeralStart, port + " is below the ephemeral range starting at " + ephemeralStart);
      assertTrue(seen.add(port), port + " handed out twice");
    }
    int base = FreePort.block(3);
    for (int p = base; p < base + 3; p++) {
      assertTrue(seen.add(p), p + " of the block was handed out before");
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress("127.0.0.1", p)); // free when handed out
      }
    }
  }

  @Test
  void aPortInUseIsNotBindable() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      assertTrue(!FreePort.bindable(s.getLocalPort()), "a listening port is taken");
    }
  }
}
