package org.csp.edge.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.csp.edge.support.FreePorts;

/**
 * The network between cluster members on loopback, with a cut the test controls. Member {@code i} binds on an
 * address of its own (127.0.0.{i+2}) and is known to the others only by its public address, a proxy on that same
 * address, which forwards to it (its own address is not an interface's, so it is given as
 * {@code hazelcast.local.localAddress}). Members open their outgoing connections from their own address
 * ({@code hazelcast.socket.client.bind.any=false}), so a proxy knows which member a connection comes from.
 * {@link #isolate} closes every connection to and from one member and refuses new ones, both ways, until
 * {@link #heal}: a real partition, with the other members still connected to each other. {@link #silence} cuts a
 * member off without closing anything, as a network that drops packets does: nothing tells the members of the cut
 * but the silence, so Hazelcast drops a member only after {@code hazelcast.max.no.heartbeat.seconds}.
 */
final class MemberLinks implements AutoCloseable {
  /** How often a pump stopped by a silence looks whether it ended. */
  private static final long SILENCE_POLL_MS = 20;
  private final List<Proxy> proxies = new ArrayList<>();
  private final int[] memberPorts;
  private volatile String isolated;
  /** A member whose links are silent: connections stay open and carry nothing, as when a network drops packets. */
  private volatile String silenced;

  MemberLinks(int members) throws IOException {
    memberPorts = new int[members];
    for (int i = 0; i < members; i++) {
      memberPorts[i] = FreePorts.next();
      proxies.add(new Proxy(address(i), FreePorts.next(), memberPorts[i]));
    }
  }

  static String address(int member) {
    return "127.0.0." + (member + 2);
  }

  /**
   * Member {@code i}'s Hazelcast configuration: cluster-config/local.xml with its own addresses, the members' list of
   * proxies, and the cluster's clocks shortened so a cut is noticed in seconds and a heal merged soon after.
   */
  Path memberConfig(int i, String clusterName, int quorum, Path dir) throws IOException {
    return memberConfig(i, clusterName, quorum, dir, java.time.Duration.ofSeconds(5));
  }

  /** As above, with Hazelcast dropping a member only after {@code noHeartbeat} without its heartbeats. */
  Path memberConfig(int i, String clusterName, int quorum, Path dir, java.time.Duration noHeartbeat) throws IOException {
    String xml = Files.readString(Path.of("cluster-config/local.xml"), StandardCharsets.UTF_8);
    StringBuilder members = new StringBuilder();
    for (Proxy p : proxies) members.append("          <member>").append(p.host).append(':').append(p.port).append("</member>\n");
    xml = xml.replace("${NODE_CLUSTER_NAME:csp-edge-local}", clusterName)
        .replace("${NODE_CLUSTER_QUORUM:1}", Integer.toString(quorum))
        .replace("<port auto-increment=\"true\" port-count=\"20\">${NODE_HAZELCAST_PORT:5701}</port>",
            "<public-address>" + address(i) + ":" + proxies.get(i).port + "</public-address>\n"
                + "    <port auto-increment=\"false\">" + memberPorts[i] + "</port>")
        .replace("<interfaces enabled=\"true\">", "<interfaces enabled=\"false\">")
        .replace("          <member>127.0.0.1</member>\n", members.toString())
        .replace("  </properties>", """
                <property name="hazelcast.local.localAddress">%s</property>
                <property name="hazelcast.socket.client.bind.any">false</property>
                <property name="hazelcast.max.no.heartbeat.seconds">%d</property>
                <property name="hazelcast.merge.first.run.delay.seconds">5</property>
                <property name="hazelcast.merge.next.run.delay.seconds">3</property>
              </properties>""".formatted(address(i), noHeartbeat.toSeconds()));
    if (!xml.contains("<public-address>") || !xml.contains(proxies.get(0).host + ":" + proxies.get(0).port)) {
      throw new IllegalStateException("cluster-config/local.xml changed: the test's substitutions no longer apply");
    }
    Path file = dir.resolve("member-" + i + ".xml");
    Files.writeString(file, xml, StandardCharsets.UTF_8);
    return file;
  }

  /** Cuts member {@code i} off from every other member, both ways. */
  void isolate(int i) {
    isolated = address(i);
    for (Proxy p : proxies) p.cut(isolated);
  }

  /**
   * Cuts member {@code i} off from every other member, both ways, without closing a connection: what crosses the cut
   * is no longer read (what was being read is lost), so the senders' buffers fill and their writes stall, as over a
   * network that drops packets; a new connection across it is accepted and never read. (Reading and dropping instead
   * lets a sender write without end, which a real cut never does.)
   */
  void silence(int i) {
    silenced = address(i);
  }

  /**
   * Lets every member reach every other again. Connections that were silenced are closed (bytes were dropped from
   * their streams, as a long partition ends TCP connections), so the members connect afresh.
   */
  void heal() {
    isolated = null;
    String wasSilenced = silenced;
    // Closed before the silence ends, so that no pump forwards a stream with a gap in it.
    if (wasSilenced != null) for (Proxy p : proxies) p.cut(wasSilenced);
    silenced = null;
  }

  @Override
  public void close() {
    for (Proxy p : proxies) p.close();
  }

  /** One member's public address: forwards every connection to the member, unless the member or the caller is cut off. */
  private final class Proxy {
    final String host;
    final int port;
    private final int target;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    Proxy(String host, int port, int target) throws IOException {
      this.host = host;
      this.port = port;
      this.target = target;
      server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      daemon("link-" + host, this::accept);
    }

    private boolean blocked(Socket from) {
      return crosses(isolated, from);
    }

    private boolean silent(Socket from) {
      return crosses(silenced, from);
    }

    /** Whether a connection from {@code from} to this proxy's member crosses a cut around {@code member}. */
    private boolean crosses(String member, Socket from) {
      return member != null && (member.equals(host) || member.equals(from.getInetAddress().getHostAddress()));
    }

    private void accept() {
      while (!server.isClosed()) {
        Socket from;
        try {
          from = server.accept();
        } catch (IOException e) {
          return;
        }
        if (blocked(from)) {
          quietly(from);
          continue;
        }
        if (silent(from)) {
          open.add(from); // never read: the heal closes it
          continue;
        }
        try {
          Socket to = new Socket(host, target);
          open.add(from);
          open.add(to);
          pump(from, to, from);
          pump(to, from, from);
        } catch (IOException e) {
          quietly(from);
        }
      }
    }

    /**
     * Copies one direction until either side closes, then closes both; once the connection from {@code caller}
     * crosses a silent cut, what was read is dropped and nothing more is read until the heal closes the connection.
     */
    private void pump(Socket in, Socket out, Socket caller) {
      daemon("link-" + host + "-pump", () -> {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream i = in.getInputStream(); OutputStream o = out.getOutputStream()) {
          for (int n; (n = i.read(buffer)) >= 0; ) {
            if (silent(caller)) {
              while (silent(caller)) Thread.sleep(SILENCE_POLL_MS);
              continue; // the heal closed it: the next read ends the pump
            }
            o.write(buffer, 0, n);
            o.flush();
          }
        } catch (IOException e) {
          // Closed by a cut or by a member: nothing more to copy.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          quietly(in);
          quietly(out);
        }
      });
    }

    private void daemon(String name, Runnable work) {
      Thread t = new Thread(work, name);
      t.setDaemon(true);
      t.start();
    }

    /** Closes the connections that cross the cut: every one if this proxy's member is cut off, else those from it. */
    void cut(String member) {
      for (Socket s : open) {
        if (member.equals(host) || member.equals(s.getInetAddress().getHostAddress())) quietly(s);
      }
    }

    private void quietly(Socket s) {
      open.remove(s);
      try {
        s.close();
      } catch (IOException e) {
        // Already closed.
      }
    }

    void close() {
      try {
        server.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (Socket s : open) quietly(s);
    }
  }
}
