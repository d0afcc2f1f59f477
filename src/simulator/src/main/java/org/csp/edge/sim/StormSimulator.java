package org.csp.edge.sim;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Runs a scenario against a node and reports what it sent. A run stops by itself: when every message
 * has been answered for, or when {@link SimOptions#timeout()} passes (then the future fails and says how
 * many messages the node never acknowledged).
 */
public final class StormSimulator {

  private final PrintStream progress;

  /** Progress lines go to standard output unless the options say quiet. */
  public StormSimulator() {
    this(System.out);
  }

  /** @param progress where progress lines go; null for none */
  public StormSimulator(PrintStream progress) {
    this.progress = progress;
  }

  /** Runs the scenario the options name, with raisedAt starting now. */
  public Future<SimReport> run(Vertx vertx, SimOptions options) {
    ScenarioContext context = ScenarioContext.of(options, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    return run(vertx, options, Scenarios.byName(options.scenario()).open(context), skippedKinds(options, context));
  }

  /**
   * Sends the given messages (a scenario opened by the caller, e.g. to know its start instant) with the
   * options' transport, rate and timeout.
   */
  public Future<SimReport> run(Vertx vertx, SimOptions options, MessageSource messages) {
    return run(vertx, options, messages, List.of());
  }

  private Future<SimReport> run(Vertx vertx, SimOptions options, MessageSource messages, List<String> skipped) {
    SimTransport transport = options.transport() == TransportKind.MQTT
      ? MqttTransport.of(vertx, options)
      : HttpTransport.of(vertx, options);
    return run(vertx, options, messages, transport, skipped);
  }

  /** With a transport of the caller's (tests). */
  Future<SimReport> run(Vertx vertx, SimOptions options, MessageSource messages, SimTransport transport,
                        List<String> skipped) {
    // Everything of a run happens on one context, so the transport and the counts need no locking.
    Context context = vertx.getOrCreateContext();
    Promise<SimReport> result = Promise.promise();
    PrintStream out = options.quiet() ? null : progress;
    context.runOnContext(v -> new SimRun(vertx, options, messages, transport, skipped, out).start().onComplete(result));
    return result.future();
  }

  private static List<String> skippedKinds(SimOptions options, ScenarioContext context) {
    boolean hasBadInput = options.scenario().equals(BadInputScenario.NAME) || options.scenario().equals(MixScenario.NAME);
    return hasBadInput ? BadInputScenario.skippedKinds(context) : List.of();
  }
}
