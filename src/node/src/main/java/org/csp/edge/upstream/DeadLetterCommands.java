package org.csp.edge.upstream;

import static org.csp.edge.text.UnsafeCharacters.shown;

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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.csp.edge.cli.CommandLines;
import org.csp.edge.config.ConfigLoader;
import org.csp.edge.config.NodeConfig;
import org.csp.edge.security.TlsFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code csp-edge-node dead-letters list|resend}: what the operator does with the events the broker refused
 * ({@link DeadLetters}). The data directory and the broker are the node's (its configuration file and NODE_*
 * variables) unless given.
 */
@Command(name = "dead-letters", description = "The events the upstream broker refused: list them, or publish them again.",
    subcommands = {DeadLetterCommands.ListLetters.class, DeadLetterCommands.Resend.class})
public final class DeadLetterCommands extends CommandLines.StreamsGroup {
  @Mixin
  CommandLines.Help help;
  private DeadLetterCommands(Map<String, String> env, PrintStream out, PrintStream err) {
    super(env, out, err);
  }

  public static DeadLetterCommands commandLine(Map<String, String> env, PrintStream out, PrintStream err) {
    return new DeadLetterCommands(env, out, err);
  }

  /** {@code list|resend [options]} on these streams; the exit code. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return CommandLines.execute(new DeadLetterCommands(env, out, err), args, out, err);
  }

  /** Where the dead letters are: the node's configuration, or a data directory given. */
  static final class Where {
    @Option(names = "--config", paramLabel = "FILE", description = "The node's configuration file.")
    Path config;
    @Option(names = "--data-dir", paramLabel = "DIR", description = "The node's data directory (default: the configuration's).")
    Path dataDir;

    /** The data directory given, which must be one (a mistyped path would read as "no dead letters"), or the node's. */
    DeadLetters letters(NodeConfig node) {
      if (dataDir != null && !java.nio.file.Files.isDirectory(dataDir)) {
        throw new org.csp.edge.config.ConfigException("--data-dir: " + dataDir + " is not a directory");
      }
      return new DeadLetters(dataDir != null ? dataDir : node.dataDir());
    }
  }

  @Command(name = "list", description = "List the dead letters: id, type, count, size, why, when.")
  static final class ListLetters implements Callable<Integer> {
    @Mixin
    CommandLines.Help help;
    @Mixin
    Where where;
    @ParentCommand
    DeadLetterCommands parent;

    @Override
    public Integer call() throws IOException {
      NodeConfig node = ConfigLoader.load(where.config, parent.env);
      DeadLetters letters = where.letters(node);
      // Counted first, then listed, one letter at a time: a file may hold more letters than the heap.
      long count = 0;
      try (DeadLetters.Reader r = letters.reader()) {
        while (r.next() != null) count++;
      }
      parent.out.printf(Locale.ROOT, "%d dead letters in %s%n", count, letters.file());
      try (DeadLetters.Reader r = letters.reader()) {
        for (DeadLetters.Letter l = r.next(); l != null; l = r.next()) {
          parent.out.printf(Locale.ROOT, "%s  %s  count=%d  %d bytes  %s  at %s%n", shown(l.eventId()),
              shown(l.event().getString("type")), l.event().getInteger("count", 0), l.event().toBuffer().length(), shown(l.why()), l.at());
        }
        unreadable(r.unreadableLines(), letters, parent.err);
      }
      return CommandLines.OK;
    }
  }

  @Command(name = "resend", description = {"Publish the dead letters (all, or those named by --id) with QoS 1 to the"
      + " node's upstream broker (or --url), wait for each PUBACK, and remove from the dead letters what the broker took.",
      "Exit 1 when the broker did not take them all."})
  static final class Resend implements Callable<Integer> {
    @Mixin
    CommandLines.Help help;
    @Mixin
    Where where;
    @Option(names = "--url", paramLabel = "tcp://host:port", description = "The broker (default: the node's upstream).")
    URI url;
    @Option(names = "--id", paramLabel = "ID", description = "Only this event (repeatable).")
    Set<String> ids = new HashSet<>();
    @ParentCommand
    DeadLetterCommands parent;

    @Override
    public Integer call() throws Exception {
      NodeConfig node = ConfigLoader.load(where.config, parent.env);
      DeadLetters letters = where.letters(node);
      // The ids first (a file may hold more letters than the heap), then the letters one at a time as they are sent.
      Set<String> all = new HashSet<>();
      int notLetters;
      try (DeadLetters.Reader r = letters.reader()) {
        for (DeadLetters.Letter l = r.next(); l != null; l = r.next()) all.add(l.eventId());
        unreadable(r.unreadableLines(), letters, parent.err);
        notLetters = r.unreadableLines().size();
      }
      Set<String> unknown = new HashSet<>(ids);
      unknown.removeAll(all);
      if (!unknown.isEmpty()) {
        parent.err.printf(Locale.ROOT, "no dead letter %s in %s: nothing resent%n", new java.util.TreeSet<>(unknown), letters.file());
        return CommandLines.FAILED;
      }
      int chosen = ids.isEmpty() ? all.size() : ids.size();
      URI to = url;
      if (to == null) {
        to = node.upstream().embedded()
            ? URI.create("tcp://" + node.embeddedBroker().host() + ":" + node.embeddedBroker().port())
            : node.upstream().url();
      }
      Set<String> delivered = resend(letters, ids, to, node, parent.out, parent.err);
      letters.remove(delivered);
      parent.out.printf(Locale.ROOT, "%d of %d delivered to %s; %d dead letters left%s%n", delivered.size(), chosen,
          to, all.size() - delivered.size(), notLetters == 0 ? "" : ", and " + notLetters + " lines that are not letters");
      return delivered.size() == chosen ? CommandLines.OK : CommandLines.FAILED;
    }
  }

  /** Says which lines are not dead letters: they stay in the file, for the operator to mend or keep. */
  private static void unreadable(List<Long> lines, DeadLetters letters, PrintStream err) {
    if (lines.isEmpty()) return;
    String shown = lines.size() <= 10 ? lines.toString() : lines.subList(0, 10) + " and " + (lines.size() - 10) + " more";
    err.printf(Locale.ROOT, "%d lines of %s are not dead letters (damaged, or not written by the node): lines %s; they"
        + " are neither listed nor resent, and stay in the file as they are%n", lines.size(), letters.file(), shown);
  }

  /** One at a time, each waiting for its PUBACK: a broker that refuses one closes the connection, and we stop there. */
  private static Set<String> resend(DeadLetters letters, Set<String> ids, URI url, NodeConfig node, PrintStream out,
      PrintStream err) throws Exception {
    Set<String> delivered = new HashSet<>();
    try (DeadLetters.Reader r = letters.reader()) {
      DeadLetters.Letter first = r.next();
      while (first != null && !ids.isEmpty() && !ids.contains(first.eventId())) first = r.next();
      if (first == null) return delivered;
    }
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
      try (DeadLetters.Reader r = letters.reader()) {
        for (DeadLetters.Letter l = r.next(); l != null; l = r.next()) {
          if (!ids.isEmpty() && !ids.contains(l.eventId())) continue;
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
      }
      if (!closed.isDone()) client.disconnect().toCompletionStage().toCompletableFuture().get(waitMillis, TimeUnit.MILLISECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    return delivered;
  }
}
