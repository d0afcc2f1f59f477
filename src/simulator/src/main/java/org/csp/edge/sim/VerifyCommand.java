package org.csp.edge.sim;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.csp.edge.config.Durations;

/**
 * {@code verify}: a DSP's check of the accounting from the feed alone. Subscribes to the feed (QoS 1, a persistent
 * session under {@code --client-id}, so a later run with the same id gets what arrived meanwhile), counts events once
 * per eventId, takes each node and boot's last heartbeat for its duplicates and rejected, and compares the sum with
 * what the generator sent ({@code --sent N}, or {@code --report FILE}: the JSON of {@code simulate --json}). Listens
 * until the equation holds or {@code --for} has passed, prints a table per node and boot.
 *
 * <p>Exit codes: 0 the equation holds, 1 it does not, 2 bad command line.
 */
public final class VerifyCommand {
  static final String USAGE = """
      usage: csp-edge-node verify --url tcp://HOST:PORT (--sent N | --report FILE) [options]
        --url URL             the DSP broker the nodes publish to (tcp:// only)
        --topic-prefix P      the nodes' upstream.topicPrefix (default dsp/central/)
        --sent N              alerts the generator sent
        --report FILE         or: the generator's report (simulate --json), its alerts.sent
        --for DURATION        listen at most this long for the equation to hold (default 10s)
        --client-id ID        the MQTT session to use; the broker keeps it between runs (default: a new one)
      """;
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private VerifyCommand() {}

  public static int run(String[] args, PrintStream out) throws Exception {
    URI url = null;
    String prefix = "dsp/central/";
    Long sent = null;
    Duration listen = Duration.ofSeconds(10);
    String clientId = "csp-edge-verify-" + System.currentTimeMillis();
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--help") || a.equals("-h")) {
          out.print(USAGE);
          return 0;
        }
        if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
        String v = args[++i];
        switch (a) {
          case "--url" -> url = new URI(v);
          case "--topic-prefix" -> prefix = v;
          case "--sent" -> sent = Long.parseLong(v);
          case "--report" -> sent = new JsonObject(Files.readString(Path.of(v), StandardCharsets.UTF_8))
              .getJsonObject("alerts").getLong("sent");
          case "--for" -> listen = Durations.parse(v, "--for");
          case "--client-id" -> clientId = v;
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (url == null || !"tcp".equals(url.getScheme()) || url.getPort() < 0) {
        throw new IllegalArgumentException("--url tcp://HOST:PORT is needed");
      }
      if (sent == null) throw new IllegalArgumentException("--sent N or --report FILE is needed");
    } catch (Exception e) {
      out.println("verify: " + e.getMessage());
      out.print(USAGE);
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    try (DspFeed feed = new DspFeed(vertx, url.getHost(), url.getPort(), prefix + "#", clientId)) {
      feed.start().toCompletionStage().toCompletableFuture().get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      FeedAccounting.Check check = waitForEquation(feed.accounting(), sent, listen);
      out.printf("feed %s%s#, session %s, %d messages%n", url, prefix, clientId, feed.messages());
      out.print(check.toText());
      return check.holds() ? 0 : 1;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Polls the feed's accounting until it holds or {@code listen} has passed; the last check either way. */
  public static FeedAccounting.Check waitForEquation(FeedAccounting accounting, long sent, Duration listen)
      throws InterruptedException {
    long deadline = System.nanoTime() + listen.toNanos();
    FeedAccounting.Check check = accounting.check(sent);
    while (!check.holds() && System.nanoTime() < deadline) {
      Thread.sleep(POLL.toMillis());
      check = accounting.check(sent);
    }
    return check;
  }
}
