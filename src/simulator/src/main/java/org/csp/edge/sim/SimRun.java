package org.csp.edge.sim;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One run: pulls messages from the source while the transport has room (and the rate allows), counts
 * them as sent, and counts them again when the node has answered for them. Runs on one context.
 */
final class SimRun {

  private final Vertx vertx;
  private final SimOptions options;
  private final MessageSource messages;
  private final SimTransport transport;
  private final List<String> skipped;
  private final PrintStream progressOut;
  private final SimTally tally = new SimTally();
  private final Promise<SimReport> result = Promise.promise();
  private final long planned;
  private long startNanos;
  private long timeoutTimer = -1;
  private long progressTimer = -1;
  private long paceTimer = -1;
  private boolean pumping;
  private boolean pumpAgain;
  private boolean finished;
  private ProgressPrinter progress;

  SimRun(Vertx vertx, SimOptions options, MessageSource messages, SimTransport transport, List<String> skipped,
         PrintStream progressOut) {
    this.vertx = vertx;
    this.options = options;
    this.messages = messages;
    this.transport = transport;
    this.skipped = skipped;
    this.progressOut = progressOut;
    this.planned = messages.remaining();
  }

  Future<SimReport> start() {
    startNanos = System.nanoTime();
    if (progressOut != null) {
      progressOut.printf(Locale.ROOT, "sim: scenario %s, %d messages, to %s%n", options.scenario(), planned,
        transport.target());
      progress = new ProgressPrinter(progressOut, planned, startNanos);
    }
    transport.readyHandler(this::pump);
    transport.start().onComplete(ar -> {
      if (ar.failed()) {
        finished = true;
        transport.close().onComplete(v -> result.fail(ar.cause()));
        return;
      }
      timeoutTimer = vertx.setTimer(options.timeout().toMillis(), id -> timedOut());
      if (progress != null) {
        progressTimer = vertx.setPeriodic(ProgressPrinter.INTERVAL_MS, id -> progress.print(tally, System.nanoTime()));
      }
      pump();
    });
    return result.future();
  }

  /** Sends while there is room; re-entrant calls (a send that completes at once) just ask for another pass. */
  private void pump() {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        sendWhileRoom();
      } while (pumpAgain);
    } finally {
      pumping = false;
    }
    if (!finished && !messages.hasNext() && tally.awaiting() == 0) {
      finish();
    }
  }

  private void sendWhileRoom() {
    while (!finished && messages.hasNext() && transport.ready()) {
      if (options.ratePerSecond() > 0 && !paceAllows()) {
        return;
      }
      SimMessage message = messages.next();
      tally.sent(message);
      transport.send(message)
        .otherwise(err -> Delivery.failed(String.valueOf(err.getMessage()), 0))
        .onSuccess(delivery -> {
          tally.answered(message, delivery);
          pump();
        });
    }
  }

  /** At most rate x elapsed (+1) messages so far; otherwise come back when the next one is due. */
  private boolean paceAllows() {
    double elapsedSeconds = (System.nanoTime() - startNanos) / 1e9;
    if (tally.messagesSent < Math.floor(options.ratePerSecond() * elapsedSeconds) + 1) {
      return true;
    }
    if (paceTimer < 0) {
      double dueSeconds = tally.messagesSent / options.ratePerSecond();
      long delayMs = Math.max(1, (long) Math.ceil((dueSeconds - elapsedSeconds) * 1000));
      paceTimer = vertx.setTimer(delayMs, id -> {
        paceTimer = -1;
        pump();
      });
    }
    return false;
  }

  private void finish() {
    finished = true;
    cancelTimers();
    SimReport report = report();
    if (progress != null) {
      progress.print(tally, System.nanoTime());
    }
    transport.close().onComplete(v -> result.complete(report));
  }

  private void timedOut() {
    if (finished) {
      return;
    }
    finished = true;
    cancelTimers();
    String message = String.format(Locale.ROOT,
      "storm simulation timed out after %d s: sent %d of %d messages (%d alerts); %d messages still unacknowledged"
        + " by the node at %s, %d unconfirmed",
      options.timeout().toSeconds(), tally.messagesSent, planned, tally.alertsSent, tally.awaiting(), transport.target(),
      tally.messagesUnconfirmed);
    transport.close().onComplete(v -> result.fail(new SimTimeoutException(message, report())));
  }

  private void cancelTimers() {
    for (long timer : new long[] {timeoutTimer, progressTimer, paceTimer}) {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
    }
  }

  private SimReport report() {
    return SimReport.from(tally, options, transport.target(), planned, skipped,
      Duration.ofNanos(System.nanoTime() - startNanos));
  }
}
