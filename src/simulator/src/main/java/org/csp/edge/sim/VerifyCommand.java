package org.csp.edge.sim;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.csp.edge.cli.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
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
@Command(name = "verify", description = {"Check the accounting from the DSP feed alone, per node and boot.",
    "Exit 0 when the equation holds, 1 when it does not, 2 for a usage error."})
public final class VerifyCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  @Mixin
  CommandLines.Help help;
  @Spec
  CommandSpec spec;
  @Option(names = "--url", paramLabel = "tcp://HOST:PORT", required = true,
      description = "The DSP broker the nodes publish to (tcp:// only).")
  URI url;
  @Option(names = "--topic-prefix", paramLabel = "P", description = "The nodes' upstream.topicPrefix (default ${DEFAULT-VALUE}).")
  String prefix = "dsp/central/";
  @ArgGroup(multiplicity = "1")
  Sent sent;
  @Option(names = "--for", paramLabel = "DURATION", description = "Listen at most this long for the equation to hold"
      + " (default ${DEFAULT-VALUE}).")
  String listen = "10s";
  @Option(names = "--client-id", paramLabel = "ID", description = "The MQTT session to use; the broker keeps it between"
      + " runs (default: a new one).")
  String clientId = "csp-edge-verify-" + System.currentTimeMillis();
  private final PrintStream out;

  /** What the generator sent: a number, or its report. */
  static final class Sent {
    @Option(names = "--sent", paramLabel = "N", required = true, description = "Alerts the generator sent.")
    Long count;
    @Option(names = "--report", paramLabel = "FILE", required = true,
        description = "Or: the generator's report (simulate --json), its alerts.sent.")
    Path report;
  }

  VerifyCommand(PrintStream out) {
    this.out = out;
  }

  public static int run(String[] args, PrintStream out) {
    return run(args, out, System.err);
  }

  public static int run(String[] args, PrintStream out, PrintStream err) {
    return CommandLines.execute(new VerifyCommand(out), args, out, err);
  }

  @Override
  public Integer call() throws Exception {
    long sent;
    Duration listen;
    try {
      if (!"tcp".equals(url.getScheme()) || url.getPort() < 0) throw new IllegalArgumentException("--url tcp://HOST:PORT is needed");
      sent = this.sent.count != null ? this.sent.count
          : new JsonObject(Files.readString(this.sent.report, StandardCharsets.UTF_8)).getJsonObject("alerts").getLong("sent");
      listen = Durations.parse(this.listen, "--for");
    } catch (Exception e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
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
