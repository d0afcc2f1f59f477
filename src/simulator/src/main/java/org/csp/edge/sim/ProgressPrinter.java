package org.csp.edge.sim;

import java.io.PrintStream;
import java.util.Locale;

/** One line every few seconds while a run goes, so a long storm is visibly alive (or visibly stuck). */
final class ProgressPrinter {

  static final long INTERVAL_MS = 3_000;

  private final PrintStream out;
  private final long plannedMessages;
  private long lastMessages;
  private long lastNanos;

  ProgressPrinter(PrintStream out, long plannedMessages, long startNanos) {
    this.out = out;
    this.plannedMessages = plannedMessages;
    this.lastNanos = startNanos;
  }

  void print(SimTally tally, long nowNanos) {
    double seconds = Math.max(1e-9, (nowNanos - lastNanos) / 1e9);
    double rate = (tally.messagesSent - lastMessages) / seconds;
    lastMessages = tally.messagesSent;
    lastNanos = nowNanos;
    out.printf(Locale.ROOT, "sim: %d/%d messages (%.0f%%), %d alerts, %d awaiting the node, %d unconfirmed, %.0f msg/s%n",
      tally.messagesSent, plannedMessages, plannedMessages == 0 ? 100.0 : 100.0 * tally.messagesSent / plannedMessages,
      tally.alertsSent, tally.awaiting(), tally.messagesUnconfirmed, rate);
    out.flush();
  }
}
