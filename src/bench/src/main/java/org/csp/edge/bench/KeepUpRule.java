package org.csp.edge.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * When a hop has stopped keeping up with an offered rate. Any one of these is enough:
 * <ul>
 *   <li>the publishers could not send what was due (their windows were full: PUBACKs came too slowly);</li>
 *   <li>the PUBACKed rate fell clearly below the offered rate;</li>
 *   <li>PUBACK latency p99 over the bound (a queue is building, even if everything is eventually acked);</li>
 *   <li>more than half a second of upstream messages was still waiting when the step ended (outbox or broker queue
 *       growing), or the hop did not drain at all.</li>
 * </ul>
 */
record KeepUpRule(double pubackP99BoundMs) {
  static final double MIN_SENT_FRACTION = 0.95;
  static final double MIN_ACHIEVED_FRACTION = 0.90;
  static final double MAX_BACKLOG_SECONDS = 0.5;
  static final long BACKLOG_ALLOWANCE = 1_000;

  Verdict judge(double offered, double seconds, StepSend send, Percentiles puback, long upstreamMessages,
      long backlogAtEnd, boolean drained) {
    List<String> why = new ArrayList<>();
    if (send.sentFraction() < MIN_SENT_FRACTION) {
      why.add(String.format(Locale.ROOT, "sent only %.0f %% of the offered alerts", send.sentFraction() * 100));
    }
    double achieved = send.ackedAlerts() / seconds;
    if (achieved < MIN_ACHIEVED_FRACTION * offered) {
      why.add(String.format(Locale.ROOT, "PUBACKed %,.0f/s of %,.0f/s", achieved, offered));
    }
    if (!(puback.p99() <= pubackP99BoundMs)) {
      why.add(String.format(Locale.ROOT, "PUBACK p99 %s ms > %s ms", Numbers.ms(puback.p99()), Numbers.ms(pubackP99BoundMs)));
    }
    double allowed = Math.max(BACKLOG_ALLOWANCE, MAX_BACKLOG_SECONDS * upstreamMessages / seconds);
    if (backlogAtEnd > allowed) {
      why.add(String.format(Locale.ROOT, "%,d messages still waiting upstream", backlogAtEnd));
    }
    if (!drained) why.add("did not drain");
    return new Verdict(why.isEmpty(), String.join("; ", why));
  }
}
