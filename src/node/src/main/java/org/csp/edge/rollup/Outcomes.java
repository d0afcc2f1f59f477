package org.csp.edge.rollup;

import java.util.Locale;
import org.csp.edge.alert.RejectReason;
import org.csp.edge.decision.Verdict;

/**
 * An alert's outcome as the reports name it: derived from the verdict's name (a new verdict is a new outcome with
 * no change here) and, for refusals, {@code rejected:} and the reason's wire name.
 */
public final class Outcomes {
  public static final String REJECTED_PREFIX = "rejected:";
  /**
   * Not an alert's outcome but a mark beside them, with no alerts of its own: the devices whose own alerts reached
   * their code's storm threshold within their hub's storm (the register's stormed devices). Reports leave it out
   * unless asked for it by name; its devices are among the consolidated ones, so unions over outcomes are unchanged.
   */
  public static final String STORMING_DEVICES = "storming-devices";
  private static final String[] VERDICTS = new String[Verdict.values().length];
  private static final String[] REJECTIONS = new String[RejectReason.values().length];

  static {
    for (Verdict v : Verdict.values()) {
      // The one verdict named as a command: the reports say what became of the alert.
      VERDICTS[v.ordinal()] = v == Verdict.FORWARD ? "forwarded" : v.name().toLowerCase(Locale.ROOT);
    }
    for (RejectReason r : RejectReason.values()) REJECTIONS[r.ordinal()] = REJECTED_PREFIX + r.wireName();
  }

  private Outcomes() {}

  public static String of(Verdict v) {
    return VERDICTS[v.ordinal()];
  }

  /** Whether an outcome is a mark (no alerts of its own), which figures of alerts leave out. */
  public static boolean isMark(String outcome) {
    return STORMING_DEVICES.equals(outcome);
  }

  public static String of(RejectReason r) {
    return REJECTIONS[r.ordinal()];
  }

  /** Every outcome there is: the reports' filters check against these. */
  public static java.util.List<String> all() {
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(VERDICTS));
    all.addAll(java.util.List.of(REJECTIONS));
    all.add(STORMING_DEVICES);
    return all;
  }
}
