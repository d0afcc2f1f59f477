package org.csp.edge.decision;

import java.util.Arrays;

/**
 * The regional questions a hub's decision asked on the hub's owner, each with its answer, recorded under the
 * question itself: which alert of the batch, which question ({@link RegionalGate#group} or
 * {@link RegionalGate#bursting}) and which code. The backup copy of the decision takes its answers from here
 * ({@link HubState#replay}) instead of asking the member's burst detector, which only the owner may ask; a question
 * the owner was not asked (the two copies of the state differ) fails loudly instead of being answered wrongly.
 *
 * <p>An alert asks at most one question (its hub reaching its storm threshold asks whether the region bursts;
 * an alert the hub lets through asks whether it goes into a group), so most operations record nothing.
 */
public final class RegionalAnswers {
  /** For an operation that asked nothing: its backup may ask nothing either. */
  public static final RegionalAnswers NONE = new RegionalAnswers(new long[0]);

  /** Which question an answer is to. */
  public enum Question { GROUP, BURSTING }

  /** Per answer: the alert's index in the batch, the code's key, the question and the answer, in one long. */
  private long[] entries;
  private int size;

  RegionalAnswers() {
    this.entries = new long[2];
  }

  /** Answers as {@link #entries()} gave them (for a serializer). */
  public RegionalAnswers(long[] entries) {
    this.entries = entries.clone();
    this.size = entries.length;
  }

  /** The answers, each packed into one long (for a serializer). */
  public long[] entries() {
    return Arrays.copyOf(entries, size);
  }

  public int size() {
    return size;
  }

  void record(int alert, Question question, String alertCode, boolean answer) {
    if (size == entries.length) entries = Arrays.copyOf(entries, 2 * size);
    entries[size++] = key(alert, question, alertCode) | (answer ? 1 : 0);
  }

  /** The owner's answer to this question; an {@link IllegalStateException} when the owner was not asked it. */
  boolean answer(int alert, Question question, String alertCode) {
    long key = key(alert, question, alertCode);
    for (int i = 0; i < size; i++) if ((entries[i] & ~1L) == key) return (entries[i] & 1) == 1;
    throw new IllegalStateException("the hub's owner was not asked " + question + " for alert " + alert + " of code "
        + alertCode + ": the backup copy of the hub's state differs from the owner's");
  }

  private static long key(int alert, Question question, String alertCode) {
    return (long) alert << 20 | (long) AlertCodes.key(alertCode) << 4 | (long) question.ordinal() << 1;
  }
}
