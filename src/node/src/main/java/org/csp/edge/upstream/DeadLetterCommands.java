package org.csp.edge.upstream;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.csp.edge.config.ConfigLoader;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.security.TlsFiles;

/**
 * {@code csp-edge-node dead-letters list|resend}: what the operator does with the events the broker refused
 * ({@link DeadLetters}). The data directory and the broker are the node's (its configuration file and NODE_*
 * variables) unless given.
 */
public final class DeadLetterCommands {
  public static final String USAGE = """
      usage: csp-edge-node dead-letters list [--config FILE] [--data-dir DIR]
             csp-edge-node dead-letters resend [--config FILE] [--data-dir DIR] [--url tcp://host:port] [--id ID]...
        list    the events the upstream broker refused: id, type, count, size, why, when
        resend  publishes them (all, or those named by --id) with QoS 1 to the node's upstream broker (or --url),
                waits for each PUBACK, and removes from the dead letters what the broker took
      """;

  private DeadLetterCommands() {}

  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) throws Exception {
    if (args.length == 0 || !(args[0].equals("list") || args[0].equals("resend"))) {
      err.print(USAGE);
      return 2;
    }
    Path config = null;
    Path dataDir = null;
    URI url = null;
    Set<String> ids = new HashSet<>();
    for (int i = 1; i < args.length; i++) {
      if (i + 1 >= args.length) {
        err.print(USAGE);
        return 2;
      }
      switch (args[i]) {
        case "--config" -> config = Path.of(args[++i]);
        case "--data-dir" -> dataDir = Path.of(args[++i]);
        case "--url" -> url = URI.create(args[++i]);
        case "--id" -> ids.add(args[++i]);
        default -> {
          err.print(USAGE);
          return 2;
        }
      }
    }
    NodeConfig node = ConfigLoader.load(config, env);
    DeadLetters letters = new DeadLetters(dataDir != null ? dataDir : node.dataDir());
    List<DeadLetters.Letter> all = letters.read();
    if (args[0].equals("list")) {
      out.printf(Locale.ROOT, "%d dead letters in %s%n", all.size(), letters.file());
      for (DeadLetters.Letter l : all) {
        out.printf(Locale.ROOT, "%s  %s  count=%d  %d bytes  %s  at %s%n", l.eventId(), l.event().getString("type"),
            l.event().getInteger("count", 0), l.event().toBuffer().length(), l.why(), l.at());
      }
      return 0;
    }
    List<DeadLetters.Letter> chosen = new ArrayList<>(all);
    if (!ids.isEmpty()) chosen.removeIf(l -> !ids.contains(l.eventId()));
    if (url == null) {
      url = node.upstream().embedded()
          ? URI.create("tcp://" + node.embeddedBroker().host() + ":" + node.embeddedBroker().port())
          : node.upstream().url();
    }
    Set<String> delivered = resend(chosen, url, node, out, err);
    letters.remove(delivered);
    out.printf(Locale.ROOT, "%d of %d delivered to %s; %d dead letters left%n", delivered.size(), chosen.size(), url,
        all.size() - delivered.size());
    return delivered.size() == chosen.size() ? 0 : 1;
  }

  /** One at a time, each waiting for its PUBACK: a broker that refuses one closes the connection, and we stop there. */
  private static Set<String> resend(List<DeadLetters.Letter> letters, URI url, NodeConfig node, PrintStream out,
      PrintStream err) throws Exception {
    Set<String> delivered = new HashSet<>();
    if (letters.isEmpty()) return delivered;
    Vertx vertx = Vertx.vertx();
    try {
      NodeConfig.Upstream up = node.upstream();
      MqttClientOptions options = new MqttClientOptions()
          .setClientId(up.clientId() + "-dead-letters")
          .setCleanSession(true)
          .setAckTimeout((int) Math.max(1, up.ackTimeout().toSeconds()))
          .setMaxMessageSize(-1);
      if ("ssl".equals(url.getScheme())) TlsFiles.apply(options, node.security().upstream());
      if (up.username() != null) {
        options.setUsername(up.username());
        if (up.passwordFile() != null) options.setPassword(Files.readString(up.passwordFile(), StandardCharsets.UTF_8).strip());
        else if (node.security().upstream().password() != null) options.setPassword(node.security().upstream().password().reveal());
      }
      MqttClient client = MqttClient.create(vertx, options);
      Map<Integer, CompletableFuture<Void>> acks = new ConcurrentHashMap<>();
      CompletableFuture<Void> closed = new CompletableFuture<>();
      client.publishCompletionHandler(id -> acks.computeIfAbsent(id, k -> new CompletableFuture<>()).complete(null));
      client.closeHandler(v -> closed.complete(null));
      long waitMillis = up.ackTimeout().toMillis();
      client.connect(url.getPort(), url.getHost()).toCompletionStage().toCompletableFuture().get(waitMillis, TimeUnit.MILLISECONDS);
      for (DeadLetters.Letter l : letters) {
        UpstreamEvent e = l.toEvent();
        try {
          int id = client.publish(e.topic(), e.payload(), MqttQoS.AT_LEAST_ONCE, false, false)
              .toCompletionStage().toCompletableFuture().get(waitMillis, TimeUnit.MILLISECONDS);
          CompletableFuture<Void> ack = acks.computeIfAbsent(id, k -> new CompletableFuture<>());
          CompletableFuture.anyOf(ack, closed).get(waitMillis, TimeUnit.MILLISECONDS);
          if (!ack.isDone()) throw new IOException("the broker closed the connection");
          acks.remove(id);
          delivered.add(l.eventId());
          out.println("delivered " + l.eventId());
        } catch (Exception ex) {
          err.println("not delivered: " + l.eventId() + " (" + ex + "); it stays in the dead letters");
          break;
        }
      }
      if (!closed.isDone()) client.disconnect().toCompletionStage().toCompletableFuture().get(waitMillis, TimeUnit.MILLISECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    return delivered;
  }
}
